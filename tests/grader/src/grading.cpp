#include "papaya/grader/grading.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>

#include "papaya/grader/stage_rules.hpp"
#include "papaya/grader/targets.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/process/child.hpp"

namespace papaya::grader {

namespace {

/// Runs @p argv (environment inherited; output discarded unless
/// @p show_output) to its end: a suite bounds its own tests' time.
process::ExitStatus run_program(const std::vector<std::string>& argv, bool show_output)
{
    process::SpawnOptions options;
    options.argv = argv;
    if (!show_output) options.stdout_fd = options.stderr_fd = process::SpawnOptions::null;
    process::Child child{options};
    for (;;) {
        if (auto status = child.wait(process::Deadline{std::chrono::hours(1)})) return *status;
    }
}

std::vector<TestResult> read_results(const std::filesystem::path& file)
{
    std::vector<TestResult> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        if (auto result = from_results_line(line)) out.push_back(*result);
    }
    return out;
}

/// The suites this build must have for @p request, else a GradeError.
void require_suites(const GradeRequest& request, const GraderConfig& config)
{
    if (config.suites.count(request.stage) == 0) {
        std::string written;
        for (const auto& [stage, path] : config.suites)
            written += (written.empty() ? "" : ", ") + std::to_string(stage);
        throw GradeError("the suite of stage " + std::to_string(request.stage) +
                         " is not written yet (suites exist for stages " + written + ")");
    }
    for (int k = 0; request.regression && k < request.stage; ++k) {
        if (config.suites.count(k) == 0)
            throw GradeError("the regression suite of stage " + std::to_string(k) + " is missing from this build");
    }
}

/// Runs suite @p k of @p report's grade and adds its results.
void run_suite(int k, const GradeRequest& request, const GraderConfig& config, const harness::TempDir& work,
               GradeReport& report, GradeObserver* observer)
{
    const auto results_file = work.file("lab" + std::to_string(k) + ".results");
    ::setenv("PAPAYA_RESULTS_FILE", results_file.c_str(), 1);
    SuiteRun run;
    run.stage = k;
    run.keyed = keyed_regression(request.stage, k);
    if (run.keyed) {
        ::setenv("PAPAYA_AUTH_KEY", harness::random_key().c_str(), 1);
    } else {
        ::unsetenv("PAPAYA_AUTH_KEY");
    }
    if (observer != nullptr) observer->suite_starting(report, k, run.keyed);
    std::vector<std::string> argv{config.suites.at(k).string(), "--gtest_color=no"};
    if (!request.only.empty()) argv.push_back("--gtest_filter=" + request.only);
    const auto status = run_program(argv, request.show_reports);
    auto results = read_results(results_file);
    run.tests = results.size();
    // GoogleTest exits 1 when a test failed; anything else is the suite itself breaking.
    if (!status.exited || status.code > 1) {
        run.abnormal = true;
        run.ended = status.exited ? "status " + std::to_string(status.code) : "signal " + std::to_string(status.signal);
    }
    for (auto& result : results) {
        if (result.status == "na") {
            ++report.not_applicable;
        } else {
            Score& part = result.suite_stage == request.stage ? report.stage_score : report.regression;
            part.points += result.points;
            part.max_points += result.max_points;
            report.passed += result.status == "pass";
            report.failed += result.status == "fail";
        }
        report.tests.push_back(std::move(result));
    }
    report.suites.push_back(run);
    if (observer != nullptr) observer->suite_ended(report, run);
}

} // namespace

Score GradeReport::total() const
{
    return {stage_score.points + regression.points, stage_score.max_points + regression.max_points};
}

bool GradeReport::incomplete() const
{
    for (const auto& suite : suites)
        if (suite.abnormal) return true;
    return false;
}

const TestResult* GradeReport::first_failure() const
{
    for (const auto& test : tests)
        if (test.status == "fail") return &test;
    return nullptr;
}

std::string abnormal_suite_line(const SuiteRun& run)
{
    return "FAIL  the lab" + std::to_string(run.stage) + " suite ended abnormally (" + run.ended + ") after " +
           std::to_string(run.tests) + " test(s): the grade is incomplete\n";
}

GradeReport grade(const GradeRequest& request, GradeObserver* observer)
{
    const auto config = load_grader_config();
    require_suites(request, config);
    Target target;
    try {
        target = resolve_target(request.target, config);
    } catch (const std::runtime_error& error) {
        throw GradeError(error.what());
    }
    GradeReport report;
    report.stage = request.stage;
    report.target = request.target;
    report.command = target.command;
    report.capabilities = target.capabilities;
    report.seed = request.seed ? *request.seed : std::random_device{}() % 1000000000u;
    report.only = request.only;
    if (observer != nullptr) observer->started(report);

    ::setenv("PAPAYA_TARGET", request.target.c_str(), 1);
    ::setenv("PAPAYA_SEED", std::to_string(report.seed).c_str(), 1);
    ::setenv("PAPAYA_GRADE_STAGE", std::to_string(request.stage).c_str(), 1);
    const harness::TempDir work{"papaya-grade"};
    run_suite(request.stage, request, config, work, report, observer);
    for (int k = 0; request.regression && k < request.stage; ++k) run_suite(k, request, config, work, report, observer);
    return report;
}

} // namespace papaya::grader
