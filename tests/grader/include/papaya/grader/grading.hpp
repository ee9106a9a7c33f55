#pragma once
/// @file
/// @brief Grading as a library: run stage N's suite and the regression suites
/// 0..N-1 against a target, each as its own process, and return what every
/// test did. papaya_grade prints it; tools/course-cli (start, status) reads it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "papaya/grader/results.hpp"

namespace papaya::grader {

/// A usage error: a suite this build lacks, an unknown target (exit status 2).
class GradeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What to grade.
struct GradeRequest {
    int stage = 0;
    std::string target = "papayad";    ///< tests/targets.conf name or cmd:COMMAND.
    std::optional<std::uint64_t> seed; ///< Empty: draw one.
    std::string only;                  ///< A GoogleTest filter; empty: every test.
    bool regression = true;            ///< false: suite N alone (no suites 0..N-1).
    bool show_reports = true;          ///< false: the suites' own report (stdout, stderr) is discarded.
};

/// Points earned out of points applicable.
struct Score {
    int points = 0;
    int max_points = 0;
};

/// How one suite's process went.
struct SuiteRun {
    int stage = 0;
    bool keyed = false;    ///< Run as a keyed regression (stage_rules.hpp).
    bool abnormal = false; ///< It crashed or exited with more than 1: its results are incomplete.
    std::string ended;     ///< "status 3", "signal 11" (when abnormal).
    std::size_t tests = 0; ///< Results it reported.
};

/// The result of a grade.
struct GradeReport {
    int stage = 0;
    std::string target;
    std::string command;                   ///< The target's command line.
    std::vector<std::string> capabilities; ///< The target's capabilities.
    std::uint64_t seed = 0;
    std::string only;
    std::vector<TestResult> tests; ///< Suite N's tests, then the regression's, in the order they ran.
    std::vector<SuiteRun> suites;  ///< In the order they ran.
    Score stage_score;             ///< Suite N's applicable tests.
    Score regression;              ///< The other suites' applicable tests.
    int passed = 0;
    int failed = 0;
    int not_applicable = 0;

    [[nodiscard]] Score total() const;
    /// A suite ended abnormally: the grade is incomplete.
    [[nodiscard]] bool incomplete() const;
    /// Something applicable failed, or a suite broke.
    [[nodiscard]] bool any_failed() const { return failed > 0 || incomplete(); }
    /// A mutant is caught when a test ran and failed; a suite that crashed proves nothing.
    [[nodiscard]] bool caught() const { return failed > 0 && !incomplete(); }
    /// The first failed test, or nullptr.
    [[nodiscard]] const TestResult* first_failure() const;
};

/// Told what happens while grade() runs (papaya_grade prints it as it goes).
class GradeObserver {
public:
    virtual ~GradeObserver() = default;
    /// The target is resolved and the seed chosen; no suite has run yet.
    virtual void started(const GradeReport& report) = 0;
    /// Suite @p stage starts (keyed: as a keyed regression).
    virtual void suite_starting(const GradeReport& report, int stage, bool keyed) = 0;
    /// Suite run.stage ended; its results are in the report.
    virtual void suite_ended(const GradeReport& report, const SuiteRun& run) = 0;
};

/// "FAIL  the labK suite ended abnormally (signal 11) after 3 test(s): the grade is incomplete\n".
std::string abnormal_suite_line(const SuiteRun& run);

/// Grades @p request, as described in tests/grader/README.md.
/// @throws GradeError when a suite is missing from this build or the target is unknown.
GradeReport grade(const GradeRequest& request, GradeObserver* observer = nullptr);

/// Writes @p report to @p path as JSON (the format of `papaya_grade --json`);
/// false when the file cannot be written.
bool write_json(const std::filesystem::path& path, const GradeReport& report);

} // namespace papaya::grader
