// Character widths come from wcwidth(), which follows the locale: the tests
// run in C.UTF-8 (built into glibc), as a user's terminal would.
#include <gtest/gtest.h>

#include <clocale>

namespace {

class Utf8Locale : public ::testing::Environment {
public:
    void SetUp() override { ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr) << "the C.UTF-8 locale is missing"; }
};

[[maybe_unused]] ::testing::Environment* const utf8_locale = ::testing::AddGlobalTestEnvironment(new Utf8Locale);

} // namespace
