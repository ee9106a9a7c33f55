#include <gtest/gtest.h>

#include "papaya/harness/environment.hpp"
#include "papaya/harness/failure.hpp"
#include "support.hpp"

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
    const self_test::ScopedEnvironment unset{"PAPAYA_SERVER", std::nullopt};
    try {
        server_command();
        FAIL() << "server_command() returned without PAPAYA_SERVER";
    } catch (const HarnessFailure& e) {
        EXPECT_NE(std::string(e.what()).find("PAPAYA_SERVER is not set"), std::string::npos) << e.what();
    }
}

TEST(ServerKind, DefaultsToProcesses)
{
    using self_test::ScopedEnvironment;
    {
        const ScopedEnvironment kind{"PAPAYA_SERVER_KIND", std::nullopt};
        EXPECT_EQ(server_kind(), ServerKind::processes);
    }
    {
        const ScopedEnvironment kind{"PAPAYA_SERVER_KIND", "goroutines"};
        EXPECT_EQ(server_kind(), ServerKind::goroutines);
    }
    const ScopedEnvironment kind{"PAPAYA_SERVER_KIND", "threads"};
    EXPECT_THROW(server_kind(), HarnessFailure);
}

TEST(Printable, EscapesAndTruncates)
{
    EXPECT_EQ(printable(std::string("a\n\0b", 4)), R"("a\n\x00b")");
    EXPECT_EQ(printable("abcdef", 3), R"("abc" ... (6 bytes in all))");
}

} // namespace
} // namespace papaya::harness
