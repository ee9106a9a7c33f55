// The grader's own pieces: the byte diff, the results line, the targets file.
#include <gtest/gtest.h>

#include <cstdlib>

#include "papaya/grader/bytes.hpp"
#include "papaya/grader/hints.hpp"
#include "papaya/grader/report_text.hpp"
#include "papaya/grader/results.hpp"
#include "papaya/grader/stage_rules.hpp"
#include "papaya/grader/targets.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/stages.hpp"

namespace papaya::grader {
namespace {

TEST(GraderBytes, EqualBytesHaveNoDifference) { EXPECT_EQ(describe_difference("abc", "abc"), ""); }

TEST(GraderBytes, CaretPointsAtTheFirstDifferentByte)
{
    const std::string text = describe_difference(std::string("ab\0d", 4), std::string("ab\x01"
                                                                                      "d",
                                                                                      4));
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

TEST(GraderHints, AnUnwrittenStubNamesItself)
{
    const auto hint = hint_from_stderr("READY port=1 pid=2\npapaya-student[2]: error: TODO(lab 0): accept clients "
                                       "until SIGTERM -- see labs/00-blocking-echo/README.md\nmore\n");
    ASSERT_TRUE(hint.has_value());
    EXPECT_NE(hint->find("TODO(lab 0): accept clients until SIGTERM -- see labs/00-blocking-echo/README.md."),
              std::string::npos)
        << *hint;
}

TEST(GraderHints, AnErrnoTheCallNeverSetsPointsAtTheOverwrite)
{
    const auto hint = hint_from_stderr("papaya-student[7]: error: ppoll: No child processes\n");
    ASSERT_TRUE(hint.has_value());
    EXPECT_NE(hint->find("\"ppoll: No child processes\", but ppoll(2) never fails"), std::string::npos) << *hint;
    EXPECT_NE(hint->find("const int error = errno;"), std::string::npos) << *hint;
}

TEST(GraderHints, NothingToSayAboutAnOrdinaryStderr)
{
    EXPECT_FALSE(hint_from_stderr("READY port=1 pid=2\nwarning: client: read: Connection reset by peer\n"));
    EXPECT_FALSE(hint_from_stderr("error: waitpid: No child processes\n"));
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
    EXPECT_EQ(cmd.capabilities, (std::vector<std::string>{"processes", "stage-flag", "engines"}));
    EXPECT_THROW(resolve_target("nosuch", config), std::runtime_error);
}

// The keyed-regression rule comes from the stage table's features; for this
// course's table it is the rule the runner hard-coded before: grading stage 4
// or later runs the chat suites 2 and 3 (and only those) with a key, at --stage 4.
TEST(GraderStageRules, KeyedRegressionIsTheChatSuitesBelowTheFirstAuthenticatingStage)
{
    for (int graded = 0; graded <= last_stage; ++graded) {
        for (int k = 0; k <= last_stage; ++k) {
            const bool before = k != graded && k < graded && graded >= 4 && (k == 2 || k == 3);
            EXPECT_EQ(keyed_regression(graded, k), before) << "grading stage " << graded << ", suite " << k;
        }
    }
    EXPECT_EQ(keyed_server_stage(), 4);
}

TEST(GraderReportText, LinesAndDetailsAsTheConsoleShowsThem)
{
    TestResult r;
    r.name = "Lab1.Name";
    r.status = "na";
    r.max_points = 2;
    r.reason = "needs root";
    EXPECT_EQ(report_line(r), "N/A     -/2    0.00s  Lab1.Name  (needs root)\n");
    EXPECT_EQ(failure_details(r), "");
    r.status = "fail";
    r.seconds = 1.5;
    r.failure = "Steps:\n  1. start\n";
    r.hint = "Read the README.";
    EXPECT_EQ(report_line(r), "FAIL    0/2    1.50s  Lab1.Name\n");
    EXPECT_EQ(failure_details(r), "      Steps:\n        1. start\n      Hint: Read the README.\n");
}

} // namespace
} // namespace papaya::grader
