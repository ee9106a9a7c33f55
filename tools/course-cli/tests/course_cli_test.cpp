// The pure parts of papaya-course: what start and status compute and show.
#include <gtest/gtest.h>

#include <filesystem>

#include "catch_up.hpp"
#include "lab_guide.hpp"
#include "papaya/process/temp_dir.hpp"
#include "papaya/stages.hpp"
#include "progress.hpp"
#include "say.hpp"
#include "screen.hpp"
#include "stage_search.hpp"
#include "student_build.hpp"
#include "watch.hpp"

namespace papaya::course {
namespace {

grader::TestResult result(const std::string& name, const std::string& status, int points = 1)
{
    grader::TestResult r;
    r.name = name;
    r.status = status;
    r.max_points = points;
    r.points = status == "pass" ? points : 0;
    if (status == "fail") {
        r.failure = "Steps:\n  1. start the server\n";
        r.hint = "Write the loop.";
    }
    if (status == "na") r.reason = "not applicable: needs root";
    return r;
}

/// A suite's report as grade() adds it up.
grader::GradeReport report_of(int stage, const std::vector<grader::TestResult>& tests, bool crashed = false)
{
    grader::GradeReport report;
    report.stage = stage;
    for (auto test : tests) {
        test.suite_stage = stage;
        if (test.status == "na") {
            ++report.not_applicable;
        } else {
            report.stage_score.points += test.points;
            report.stage_score.max_points += test.max_points;
            report.passed += test.status == "pass";
            report.failed += test.status == "fail";
        }
        report.tests.push_back(test);
    }
    grader::SuiteRun run;
    run.stage = stage;
    run.abnormal = crashed;
    run.ended = crashed ? "signal 11" : "";
    run.tests = tests.size();
    report.suites.push_back(run);
    return report;
}

TEST(CourseGoal, TheNonEmptyLinesOfTheGoalSectionOnly)
{
    const std::string readme = "# Lab\n\n## Goal\n\nWrite an echo server.\n\nIt serves one client.\n"
                               "## Background\nNot this.\n## Goal again\nAnd this.\n";
    EXPECT_EQ(goal_section(readme), "Write an echo server.\nIt serves one client.\nAnd this.\n");
    EXPECT_EQ(goal_section(readme, 1), "Write an echo server.\n");
    EXPECT_EQ(goal_section("# No goal\ntext\n"), "");
}

TEST(CourseProgress, BarAndTallyLeaveNotApplicableTestsOut)
{
    EXPECT_EQ(progress_bar(0, 0), "[..............................] 0/0 tests");
    EXPECT_EQ(progress_bar(1, 3), "[##########....................] 1/3 tests");
    const auto t = tally(report_of(1,
                                   {result("Lab1.A", "pass", 2), result("Lab1.B", "fail", 3), result("Lab1.C", "na")}));
    EXPECT_EQ(t.passed, 1);
    EXPECT_EQ(t.total, 2);
    EXPECT_EQ(t.points.points, 2);
    EXPECT_EQ(t.points.max_points, 5);
    EXPECT_FALSE(t.passes());
    EXPECT_TRUE(tally(report_of(1, {result("Lab1.A", "pass"), result("Lab1.C", "na")})).passes());
    // Nothing applicable ran, or the suite crashed: not a pass.
    EXPECT_FALSE(tally(report_of(1, {result("Lab1.C", "na")})).passes());
    EXPECT_FALSE(tally(report_of(1, {result("Lab1.A", "pass")}, true)).passes());
}

TEST(CourseSearch, TheFirstStageFromWhereItStandsWhoseSuiteDoesNotPass)
{
    std::vector<int> graded;
    const auto failing_from = [&](int first_failing) {
        return [&graded, first_failing](int k) {
            graded.push_back(k);
            return report_of(k, {result("Lab.A", k < first_failing ? "pass" : "fail")});
        };
    };
    const auto position = first_unfinished_stage(1, failing_from(3));
    EXPECT_EQ(position.stage, 3);
    EXPECT_EQ(position.report.stage, 3);
    EXPECT_EQ(graded, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(first_unfinished_stage(0, failing_from(last_stage + 1)).stage, last_stage + 1);
}

TEST(CourseScreen, AStageShowsGoalFilesProgressFirstFailureAndWhereToRead)
{
    const auto report = report_of(0, {result("Lab0.A", "pass"), result("Lab0.B", "fail"), result("Lab0.C", "fail")});
    const auto screen = stage_screen(0, report, "## Goal\nEcho.\n");
    const std::string slug(stages[0].slug);
    EXPECT_NE(screen.find("\n== Lab 0: " + slug + " ==\n\n  Echo.\n"), std::string::npos) << screen;
    EXPECT_NE(screen.find("  Files to edit: labs/server/" + std::string(stages[0].files[0])), std::string::npos);
    EXPECT_NE(screen.find("  Progress:      [##########....................] 1/3 tests\n"), std::string::npos);
    // The first failure, with its details and hint; not the second.
    EXPECT_NE(
        screen.find(
            "FAIL    0/1    0.00s  Lab0.B\n      Steps:\n        1. start the server\n      Hint: Write the loop.\n"),
        std::string::npos)
        << screen;
    EXPECT_EQ(screen.find("Lab0.C"), std::string::npos);
    EXPECT_NE(screen.find("  Read: " + std::string(stages[0].folder) +
                          "/README.md   Grade it all: tools/course grade 0\n"),
              std::string::npos);
    EXPECT_NE(first_failure(report_of(2, {result("Lab2.A", "pass")}, true)).find("the lab2 suite ended abnormally"),
              std::string::npos);
}

TEST(CourseScreen, StatusRowsArePointsAndApplicableTests)
{
    const auto row = status_row(1, report_of(1, {result("Lab1.A", "pass", 3), result("Lab1.B", "na", 2)}));
    EXPECT_EQ(row, "1     " + std::string(stages[1].slug) + std::string(24 - stages[1].slug.size(), ' ') +
                       " 3/3       [##############################] 1/1 tests\n");
}

TEST(CourseBuild, CompilerLinesAndTheirContextElseTheLogsEnd)
{
    const std::string log = "[1/3] Building\nsrc/a.cpp:3:1: error: expected ';'\n  3 | x\n    | ^\n  more\n  beyond\n"
                            "[2/3] Linking\nld: undefined reference to `f'\n";
    EXPECT_EQ(compiler_messages(log), "src/a.cpp:3:1: error: expected ';'\n  3 | x\n    | ^\n  more\n"
                                      "ld: undefined reference to `f'\n");
    std::string plain;
    for (int i = 0; i < 50; ++i) plain += "line " + std::to_string(i) + "\n";
    const auto tail = compiler_messages(plain);
    EXPECT_EQ(tail.substr(0, 8), "line 10\n");
    EXPECT_EQ(tail.substr(tail.size() - 8), "line 49\n");
}

TEST(CourseCatchUp, TheFilesOfEveryStageUpToN)
{
    std::vector<std::string> expected;
    for (int k = 0; k <= 1; ++k)
        for (const auto file : stages.at(static_cast<std::size_t>(k)).files) expected.emplace_back(file);
    EXPECT_EQ(catch_up_files(1), expected);
    EXPECT_EQ(catch_up_files(last_stage).size() > expected.size(), true);
    EXPECT_EQ(backup_name().rfind("catch-up-", 0), 0u);
}

TEST(CourseCatchUp, CopiesTheSolutionsFilesAndKeepsTheStudentsUnderState)
{
    const process::TempDir root{"papaya-course-test"};
    Paths paths{root.path(), root.path(), root.path() / "papaya_grade"};
    std::filesystem::create_directories(paths.student());
    std::filesystem::create_directories(paths.solution());
    for (int k = 0; k <= last_stage; ++k) {
        for (const auto file : stages.at(static_cast<std::size_t>(k)).files) {
            process::write_file(paths.student() / file, "student " + std::string(file));
            process::write_file(paths.solution() / file, "solution " + std::string(file));
        }
    }
    EXPECT_THROW(catch_up(paths, last_stage + 1, true), CourseError);
    catch_up(paths, 0, true);
    for (int k = 0; k <= last_stage; ++k) {
        for (const auto file : stages.at(static_cast<std::size_t>(k)).files) {
            const std::string name(file);
            EXPECT_EQ(process::read_file(paths.student() / file), (k == 0 ? "solution " : "student ") + name) << name;
        }
    }
    std::vector<std::filesystem::path> backups;
    for (const auto& entry : std::filesystem::directory_iterator(paths.state())) backups.push_back(entry.path());
    ASSERT_EQ(backups.size(), 1u);
    const std::string first(stages[0].files[0]);
    EXPECT_EQ(process::read_file(backups[0] / first), "student " + first);
}

TEST(CourseWatch, TheStampChangesWhenAFileIsSavedOrAdded)
{
    const process::TempDir dir{"papaya-course-test"};
    process::write_file(dir.file("a.cpp"), "one");
    const auto before = sources_stamp(dir.path());
    EXPECT_EQ(sources_stamp(dir.path()), before);
    process::write_file(dir.file("a.cpp"), "one more"); // a save that changes the size
    const auto saved = sources_stamp(dir.path());
    EXPECT_NE(saved, before);
    process::write_file(dir.file("b.cpp"), "");
    EXPECT_NE(sources_stamp(dir.path()), saved);
}

} // namespace
} // namespace papaya::course
