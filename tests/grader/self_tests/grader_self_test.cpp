// The grader's own pieces: the byte diff, the results line, the targets file.
#include <gtest/gtest.h>

#include <cstdlib>

#include "papaya/grader/bytes.hpp"
#include "papaya/grader/results.hpp"
#include "papaya/grader/targets.hpp"
#include "papaya/harness/temp_dir.hpp"

namespace papaya::grader {
namespace {

TEST(GraderBytes, EqualBytesHaveNoDifference) { EXPECT_EQ(describe_difference("abc", "abc"), ""); }

TEST(GraderBytes, CaretPointsAtTheFirstDifferentByte)
{
    const std::string text = describe_difference(std::string("ab\0d", 4), std::string("ab\x01" "d", 4));
    EXPECT_NE(text.find("first difference at byte 2"), std::string::npos) << text;
    EXPECT_NE(text.find("  expected: ab\\x00d<end>\n  got:      ab\\x01d<end>\n              ^"), std::string::npos)
        << text;
}

TEST(GraderBytes, ShortAnswerShowsItsEnd)
{
    const std::string text = describe_difference("hello", "he");
    EXPECT_NE(text.find("expected 5 bytes, got 2"), std::string::npos) << text;
    EXPECT_NE(text.find("got:      he<end>\n              ^"), std::string::npos) << text;
}

TEST(GraderResults, LineRoundTripsEveryField)
{
    TestResult r{"Lab0.X", 0, "fail", 0, 3, 1.5, "hint\twith tab", "line 1\nline\\2", ""};
    const std::string line = to_results_line(r);
    ASSERT_EQ(line.find('\n'), line.size() - 1);
    const auto back = from_results_line(line.substr(0, line.size() - 1));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->name, r.name);
    EXPECT_EQ(back->max_points, 3);
    EXPECT_EQ(back->hint, r.hint);
    EXPECT_EQ(back->failure, r.failure);
    EXPECT_FALSE(from_results_line("too\tfew").has_value());
}

TEST(GraderTargets, NamedTargetsExpandProgramsAndCommandTargetsPassThrough)
{
    const harness::TempDir dir;
    const auto targets = dir.write("targets.conf", "# comment\nsrv  processes,stage-flag  {srv} --x\nbare - /bin/b\n");
    GraderConfig config;
    config.targets_file = targets;
    config.programs["srv"] = "/build/srv";
    const auto srv = resolve_target("srv", config);
    EXPECT_EQ(srv.command, "/build/srv --x");
    EXPECT_EQ(srv.capabilities, (std::vector<std::string>{"processes", "stage-flag"}));
    EXPECT_TRUE(resolve_target("bare", config).capabilities.empty());
    ::unsetenv("PAPAYA_TARGET_CAPS");
    const auto cmd = resolve_target("cmd:/bin/server --flag", config);
    EXPECT_EQ(cmd.command, "/bin/server --flag");
    EXPECT_EQ(cmd.capabilities, (std::vector<std::string>{"processes", "stage-flag"}));
    EXPECT_THROW(resolve_target("nosuch", config), std::runtime_error);
}

} // namespace
} // namespace papaya::grader
