// papaya_grade: the grade runner behind `tools/course grade N`. It runs stage
// N's suite, then the suites of stages 0..N-1 as regression, each as its own
// process against the same target and seed, and adds up the points.
#include <CLI/CLI.hpp>

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "papaya/grader/results.hpp"
#include "papaya/grader/targets.hpp"
#include "papaya/harness/temp_dir.hpp"

extern char** environ;

namespace {

using papaya::grader::TestResult;

struct Arguments {
    int stage = 0;
    std::string target = "papayad";
    std::string seed;  // empty: draw one
    std::string json;
    std::string only;
};

struct Score {
    int points = 0;
    int max_points = 0;
};

/// Runs @p program with @p args (environment inherited); returns its wait status.
int run(const std::string& program, const std::vector<std::string>& args)
{
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int error = ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ);
    if (error != 0) {
        std::fprintf(stderr, "grade: cannot run %s: %s\n", program.c_str(), std::strerror(error));
        return -1;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return status;
}

std::vector<TestResult> read_results(const std::filesystem::path& file)
{
    std::vector<TestResult> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        if (auto result = papaya::grader::from_results_line(line)) out.push_back(*result);
    }
    return out;
}

std::string json_string(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20) {
                char escape[8];
                std::snprintf(escape, sizeof escape, "\\u%04x", u);
                out += escape;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string json_score(const Score& score)
{
    return "{\"points\": " + std::to_string(score.points) + ", \"max_points\": " + std::to_string(score.max_points) + "}";
}

bool write_json(const std::string& path, const Arguments& args, std::uint64_t seed, const std::vector<TestResult>& results,
                const Score& stage, const Score& regression, const Score& total)
{
    std::ofstream out(path, std::ios::trunc);
    out << "{\n  \"stage\": " << args.stage << ",\n  \"target\": " << json_string(args.target)
        << ",\n  \"seed\": " << seed << ",\n  \"only\": " << (args.only.empty() ? "null" : json_string(args.only))
        << ",\n  \"tests\": [";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.3f", r.seconds);
        out << (i == 0 ? "\n" : ",\n") << "    {\"name\": " << json_string(r.name) << ", \"suite_stage\": " << r.suite_stage
            << ", \"status\": " << json_string(r.status) << ", \"points\": " << r.points
            << ", \"max_points\": " << r.max_points << ", \"seconds\": " << seconds
            << ", \"hint\": " << json_string(r.hint)
            << ", \"failure\": " << (r.status == "fail" ? json_string(r.failure) : "null")
            << ", \"reason\": " << (r.status == "na" ? json_string(r.reason) : "null") << "}";
    }
    int passed = 0, failed = 0, not_applicable = 0;
    for (const auto& r : results) {
        passed += r.status == "pass";
        failed += r.status == "fail";
        not_applicable += r.status == "na";
    }
    out << "\n  ],\n  \"totals\": {\"stage\": " << json_score(stage) << ", \"regression\": " << json_score(regression)
        << ", \"total\": " << json_score(total) << ", \"passed\": " << passed << ", \"failed\": " << failed
        << ", \"not_applicable\": " << not_applicable << "}\n}\n";
    return static_cast<bool>(out);
}

int grade(const Arguments& args)
{
    const auto config = papaya::grader::load_grader_config();
    if (config.suites.count(args.stage) == 0) {
        std::string written;
        for (const auto& [stage, path] : config.suites) written += (written.empty() ? "" : ", ") + std::to_string(stage);
        std::fprintf(stderr, "grade: the suite of stage %d is not written yet (suites exist for stages %s)\n", args.stage,
                     written.c_str());
        return 2;
    }
    for (int k = 0; k < args.stage; ++k) {
        if (config.suites.count(k) == 0) {
            std::fprintf(stderr, "grade: the regression suite of stage %d is missing from this build\n", k);
            return 2;
        }
    }
    const auto target = papaya::grader::resolve_target(args.target, config);
    const std::uint64_t seed = args.seed.empty() ? std::random_device{}() % 1000000000u : std::stoull(args.seed);

    std::string caps;
    for (const auto& cap : target.capabilities) caps += (caps.empty() ? "" : ", ") + cap;
    std::printf("papaya grade: stage %d, target %s\n  command:      %s\n  capabilities: %s\n  seed:         %llu "
                "(--seed %llu repeats this run)\n",
                args.stage, args.target.c_str(), target.command.c_str(), caps.empty() ? "none" : caps.c_str(),
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
    if (!args.only.empty()) std::printf("  only:         %s\n", args.only.c_str());
    std::fflush(stdout);

    ::setenv("PAPAYA_TARGET", args.target.c_str(), 1);
    ::setenv("PAPAYA_SEED", std::to_string(seed).c_str(), 1);
    ::setenv("PAPAYA_GRADE_STAGE", std::to_string(args.stage).c_str(), 1);

    const papaya::harness::TempDir work{"papaya-grade"};
    std::vector<int> order{args.stage};
    for (int k = 0; k < args.stage; ++k) order.push_back(k);
    std::vector<TestResult> results;
    bool abnormal = false;
    for (const int k : order) {
        const auto results_file = work.file("lab" + std::to_string(k) + ".results");
        ::setenv("PAPAYA_RESULTS_FILE", results_file.c_str(), 1);
        // From stage 4 on the server authenticates, and so must the chat
        // suites run as regression (echo stages have no authentication).
        const bool keyed = k != args.stage && args.stage >= 4 && (k == 2 || k == 3);
        if (keyed) {
            ::setenv("PAPAYA_AUTH_KEY", papaya::harness::random_key().c_str(), 1);
        } else {
            ::unsetenv("PAPAYA_AUTH_KEY");
        }
        if (args.only.empty()) {
            std::printf("\n== lab%d: %s ==\n", k,
                        k == args.stage ? "this stage"
                        : keyed ? "regression (server run with --stage 4 and a key; every client authenticates)"
                                : "regression (server run with --stage k)");
            std::fflush(stdout);
        }
        std::vector<std::string> suite_args{"--gtest_color=no"};
        if (!args.only.empty()) suite_args.push_back("--gtest_filter=" + args.only);
        const int status = run(config.suites.at(k).string(), suite_args);
        auto suite_results = read_results(results_file);
        // GoogleTest exits 1 when a test failed; anything else is the suite itself breaking.
        if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1) {
            abnormal = true;
            std::printf("FAIL  the lab%d suite ended abnormally (%s %d) after %zu test(s): the grade is incomplete\n", k,
                        status >= 0 && WIFSIGNALED(status) ? "signal" : "status",
                        status < 0 ? -1 : WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), suite_results.size());
        }
        results.insert(results.end(), suite_results.begin(), suite_results.end());
    }

    Score stage, regression, total;
    bool any_failed = abnormal;
    for (const auto& r : results) {
        if (r.status == "na") continue;
        Score& part = r.suite_stage == args.stage ? stage : regression;
        part.points += r.points;
        part.max_points += r.max_points;
        any_failed = any_failed || r.status == "fail";
    }
    total = {stage.points + regression.points, stage.max_points + regression.max_points};
    if (!args.only.empty() && results.empty()) {
        std::fprintf(stderr, "grade: no test of stages 0..%d is named %s\n", args.stage, args.only.c_str());
        return 2;
    }
    std::printf("\nStage %d: %d/%d  Regression: %d/%d  Total: %d/%d\n", args.stage, stage.points, stage.max_points,
                regression.points, regression.max_points, total.points, total.max_points);
    if (!args.json.empty()) {
        if (!write_json(args.json, args, seed, results, stage, regression, total)) {
            std::fprintf(stderr, "grade: cannot write %s\n", args.json.c_str());
            return 2;
        }
        std::printf("Results written to %s\n", args.json.c_str());
    }
    return any_failed ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    Arguments args;
    CLI::App app{"Grades a server: stage N's suite, then stages 0..N-1 as regression."};
    app.add_option("stage", args.stage, "The stage to grade, 0..6")->required()->check(CLI::Range(0, 6));
    app.add_option("--target", args.target, "papayad, goref (tests/targets.conf) or cmd:COMMAND (default papayad)");
    app.add_option("--seed", args.seed, "Repeat a run: the seed it printed")->check(CLI::NonNegativeNumber);
    app.add_option("--json", args.json, "Also write the results to this file (JSON)");
    app.add_option("--only", args.only, "Run only this test (Suite.Test; a GoogleTest filter)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // CLI11 exits 105 and more for a bad value; the runner's usage errors are 2.
        return app.exit(error) == 0 ? 0 : 2;
    }
    try {
        return grade(args);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "grade: %s\n", error.what());
        return 2;
    }
}
