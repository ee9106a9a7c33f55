// The JSON form of a grade (`papaya_grade --json`): what tools read instead of
// the console text. Its fields are the GradeReport's; keep them stable.
#include <cstdio>
#include <fstream>

#include "papaya/grader/grading.hpp"
#include "papaya/process/json.hpp"

namespace papaya::grader {

namespace {

using process::json_string;

std::string json_score(const Score& score)
{
    return "{\"points\": " + std::to_string(score.points) + ", \"max_points\": " + std::to_string(score.max_points) +
           "}";
}

std::string json_test(const TestResult& r)
{
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", r.seconds);
    return "{\"name\": " + json_string(r.name) + ", \"suite_stage\": " + std::to_string(r.suite_stage) +
           ", \"status\": " + json_string(r.status) + ", \"points\": " + std::to_string(r.points) +
           ", \"max_points\": " + std::to_string(r.max_points) + ", \"seconds\": " + seconds +
           ", \"hint\": " + json_string(r.hint) +
           ", \"failure\": " + (r.status == "fail" ? json_string(r.failure) : "null") +
           ", \"reason\": " + (r.status == "na" ? json_string(r.reason) : "null") + "}";
}

} // namespace

bool write_json(const std::filesystem::path& path, const GradeReport& report)
{
    std::ofstream out(path, std::ios::trunc);
    out << "{\n  \"stage\": " << report.stage << ",\n  \"target\": " << json_string(report.target)
        << ",\n  \"seed\": " << report.seed
        << ",\n  \"only\": " << (report.only.empty() ? "null" : json_string(report.only)) << ",\n  \"tests\": [";
    for (std::size_t i = 0; i < report.tests.size(); ++i)
        out << (i == 0 ? "\n    " : ",\n    ") << json_test(report.tests[i]);
    out << "\n  ],\n  \"totals\": {\"stage\": " << json_score(report.stage_score)
        << ", \"regression\": " << json_score(report.regression) << ", \"total\": " << json_score(report.total())
        << ", \"passed\": " << report.passed << ", \"failed\": " << report.failed
        << ", \"not_applicable\": " << report.not_applicable << "}\n}\n";
    return static_cast<bool>(out);
}

} // namespace papaya::grader
