// papaya_grade: the grade runner behind `tools/course grade N`. The grading
// itself is grading.hpp; this prints it as it goes and writes --json.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "papaya/grader/grading.hpp"
#include "papaya/grader/stage_rules.hpp"
#include "papaya/stages.hpp"

namespace {

using papaya::grader::GradeReport;
using papaya::grader::SuiteRun;

struct Arguments {
    papaya::grader::GradeRequest request;
    std::string seed; // empty: draw one
    std::string json;
    bool expect_fail = false; // a mutant's run: success means the --only test failed
};

/// The console report around the suites' own lines.
class ConsolePrinter : public papaya::grader::GradeObserver {
public:
    void started(const GradeReport& report) override
    {
        std::string caps;
        for (const auto& cap : report.capabilities) caps += (caps.empty() ? "" : ", ") + cap;
        const auto seed = static_cast<unsigned long long>(report.seed);
        std::printf("papaya grade: stage %d, target %s\n  command:      %s\n  capabilities: %s\n  seed:         %llu "
                    "(--seed %llu repeats this run)\n",
                    report.stage, report.target.c_str(), report.command.c_str(), caps.empty() ? "none" : caps.c_str(),
                    seed, seed);
        if (!report.only.empty()) std::printf("  only:         %s\n", report.only.c_str());
        std::fflush(stdout);
    }

    void suite_starting(const GradeReport& report, int stage, bool keyed) override
    {
        if (!report.only.empty()) return;
        const std::string keyed_text = "regression (server run with --stage " +
                                       std::to_string(papaya::grader::keyed_server_stage()) +
                                       " and a key; every client authenticates)";
        std::printf("\n== lab%d: %s ==\n", stage,
                    stage == report.stage ? "this stage"
                    : keyed               ? keyed_text.c_str()
                                          : "regression (server run with --stage k)");
        std::fflush(stdout);
    }

    void suite_ended(const GradeReport&, const SuiteRun& run) override
    {
        if (run.abnormal) std::printf("%s", papaya::grader::abnormal_suite_line(run).c_str());
    }
};

int grade(const Arguments& args)
{
    ConsolePrinter printer;
    const auto report = papaya::grader::grade(args.request, &printer);
    if (!args.request.only.empty() && report.tests.empty()) {
        std::fprintf(stderr, "grade: no test of stages 0..%d is named %s\n", report.stage, report.only.c_str());
        return 2;
    }
    const auto total = report.total();
    std::printf("\nStage %d: %d/%d  Regression: %d/%d  Total: %d/%d\n", report.stage, report.stage_score.points,
                report.stage_score.max_points, report.regression.points, report.regression.max_points, total.points,
                total.max_points);
    if (!args.json.empty()) {
        if (!papaya::grader::write_json(args.json, report)) {
            std::fprintf(stderr, "grade: cannot write %s\n", args.json.c_str());
            return 2;
        }
        std::printf("Results written to %s\n", args.json.c_str());
    }
    if (args.expect_fail) return report.caught() ? 0 : 1;
    return report.any_failed() ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    Arguments args;
    auto& request = args.request;
    const std::string stages = "0.." + std::to_string(papaya::last_stage);
    CLI::App app{"Grades a server: stage N's suite, then stages 0..N-1 as regression."};
    app.add_option("stage", request.stage, "The stage to grade, " + stages)
        ->required()
        ->check(CLI::Range(0, papaya::last_stage));
    app.add_option("--target", request.target, "papayad, goref (tests/targets.conf) or cmd:COMMAND (default papayad)");
    app.add_option("--seed", args.seed, "Repeat a run: the seed it printed")->check(CLI::NonNegativeNumber);
    app.add_option("--json", args.json, "Also write the results to this file (JSON)");
    auto* only = app.add_option("--only", request.only, "Run only this test (Suite.Test; a GoogleTest filter)");
    app.add_flag("--expect-fail", args.expect_fail,
                 "Grading a mutant or an unfinished stage: exit 0 only when a test --only selects ran and failed "
                 "and no suite crashed (the defect was caught), 1 otherwise")
        ->needs(only);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // CLI11 exits 105 and more for a bad value; the runner's usage errors are 2.
        return app.exit(error) == 0 ? 0 : 2;
    }
    try {
        if (!args.seed.empty()) request.seed = std::stoull(args.seed);
        return grade(args);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "grade: %s\n", error.what());
        return 2;
    }
}
