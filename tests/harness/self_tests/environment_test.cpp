#include <gtest/gtest.h>

#include "papaya/harness/client.hpp"
#include "papaya/harness/deadline.hpp"
#include "papaya/harness/environment.hpp"
#include "papaya/harness/failure.hpp"
#include "papaya/harness/server_process.hpp"
#include "papaya/harness/temp_dir.hpp"
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

TEST(SplitShellWords, RejectsAnUnterminatedQuote) { EXPECT_THROW(split_shell_words("a 'b"), HarnessFailure); }

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
    {
        const ScopedEnvironment kind{"PAPAYA_SERVER_KIND", "event-loop"};
        EXPECT_EQ(server_kind(), ServerKind::event_loop);
    }
    const ScopedEnvironment kind{"PAPAYA_SERVER_KIND", "fibers"};
    EXPECT_THROW(server_kind(), HarnessFailure);
}

TEST(Printable, EscapesAndTruncates)
{
    EXPECT_EQ(printable(std::string("a\n\0b", 4)), R"("a\n\x00b")");
    EXPECT_EQ(printable("abcdef", 3), R"("abc" ... (6 bytes in all))");
}

TEST(Settle, ScalesByTheFactorOfAtLeastOne)
{
    using std::chrono::milliseconds;
    {
        const self_test::ScopedEnvironment unset{"PAPAYA_SETTLE_FACTOR", std::nullopt};
        EXPECT_EQ(settle(milliseconds{400}), milliseconds{400});
    }
    {
        const self_test::ScopedEnvironment slow{"PAPAYA_SETTLE_FACTOR", "2.5"};
        EXPECT_EQ(settle(milliseconds{400}), milliseconds{1000});
        EXPECT_EQ(LaunchOptions{}.ready_timeout, milliseconds{25000}); // the harness's own defaults follow it
    }
    for (const char* ignored : {"0.5", "fast", ""}) {
        const self_test::ScopedEnvironment odd{"PAPAYA_SETTLE_FACTOR", ignored};
        EXPECT_EQ(settle(milliseconds{400}), milliseconds{400}) << ignored;
    }
    // Read when the program starts: the factor the self-tests run with.
    EXPECT_EQ(default_read_timeout, settle(milliseconds{5000}));
}

TEST(ConfiguredKey, IsPapayaAuthKeyOfExactly128Bytes)
{
    {
        const self_test::ScopedEnvironment unset{"PAPAYA_AUTH_KEY", std::nullopt};
        EXPECT_FALSE(configured_key());
    }
    const std::string key = random_key();
    {
        const self_test::ScopedEnvironment set{"PAPAYA_AUTH_KEY", key};
        EXPECT_EQ(configured_key(), key);
    }
    const self_test::ScopedEnvironment short_key{"PAPAYA_AUTH_KEY", "abc"};
    EXPECT_THROW((void)configured_key(), HarnessFailure);
}

} // namespace
} // namespace papaya::harness
