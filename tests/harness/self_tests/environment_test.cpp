#include <gtest/gtest.h>

#include "papaya/harness/environment.hpp"
#include "papaya/harness/failure.hpp"
#include "fake_server.hpp"

namespace papaya::harness {
namespace {

using Words = std::vector<std::string>;

TEST(SplitShellWords, SplitsOnBlanks)
{
    EXPECT_EQ(split_shell_words("  /bin/goref   --stage\t6 "), (Words{"/bin/goref", "--stage", "6"}));
}

TEST(SplitShellWords, HonoursQuotesAndBackslashes)
{
    EXPECT_EQ(split_shell_words(R"(a 'b c' "d \"e\"" f\ g '')"), (Words{"a", "b c", "d \"e\"", "f g", ""}));
}

TEST(SplitShellWords, RejectsAnUnterminatedQuote)
{
    EXPECT_THROW(split_shell_words("a 'b"), HarnessFailure);
}

TEST(ServerCommand, FailsClearlyWhenUnset)
{
    const self_test::FakeServer keep{""};  // restores the variable afterwards
    ::unsetenv("PAPAYA_SERVER");
    try {
        server_command();
        FAIL() << "server_command() returned without PAPAYA_SERVER";
    } catch (const HarnessFailure& e) {
        EXPECT_NE(std::string(e.what()).find("PAPAYA_SERVER is not set"), std::string::npos) << e.what();
    }
}

TEST(ServerKind, DefaultsToProcesses)
{
    const char* old = std::getenv("PAPAYA_SERVER_KIND");
    const std::string saved = old != nullptr ? old : "";
    ::unsetenv("PAPAYA_SERVER_KIND");
    EXPECT_EQ(server_kind(), ServerKind::processes);
    ::setenv("PAPAYA_SERVER_KIND", "goroutines", 1);
    EXPECT_EQ(server_kind(), ServerKind::goroutines);
    ::setenv("PAPAYA_SERVER_KIND", "threads", 1);
    EXPECT_THROW(server_kind(), HarnessFailure);
    if (old != nullptr) {
        ::setenv("PAPAYA_SERVER_KIND", saved.c_str(), 1);
    } else {
        ::unsetenv("PAPAYA_SERVER_KIND");
    }
}

TEST(Printable, EscapesAndTruncates)
{
    EXPECT_EQ(printable(std::string("a\n\0b", 4)), R"("a\n\x00b")");
    EXPECT_EQ(printable("abcdef", 3), R"("abc" ... (6 bytes in all))");
}

} // namespace
} // namespace papaya::harness
