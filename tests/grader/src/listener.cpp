#include "papaya/grader/listener.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "papaya/grader/hints.hpp"
#include "papaya/grader/record.hpp"
#include "papaya/grader/report_text.hpp"
#include "papaya/grader/results.hpp"
#include "papaya/grader/settings.hpp"

namespace papaya::grader {

namespace {

/// Lines of the server's stderr shown in a report (the last ones: the crash is at the end).
constexpr std::size_t stderr_lines_shown = 30;

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string base_name(const char* path)
{
    if (path == nullptr) return "";
    const std::string text(path);
    const auto slash = text.rfind('/');
    return slash == std::string::npos ? text : text.substr(slash + 1);
}

/// The failure report of the test that just ended (everything but the hint).
std::string failure_report(const std::string& test_name, const std::string& failures)
{
    const auto& record = current_test();
    std::string out = "Steps:\n";
    if (record.steps.empty()) out += "  (none recorded)\n";
    for (std::size_t i = 0; i < record.steps.size(); ++i)
        out += "  " + std::to_string(i + 1) + ". " + record.steps[i] + "\n";
    out += "What went wrong (at the last step):\n" + indent_lines(failures, "  ");
    if (!record.server_stderr.empty()) {
        auto lines = lines_of(record.server_stderr);
        out += "Your server's stderr";
        if (lines.size() > stderr_lines_shown) {
            out += " (last " + std::to_string(stderr_lines_shown) + " of " + std::to_string(lines.size()) + " lines)";
            lines.erase(lines.begin(), lines.end() - static_cast<long>(stderr_lines_shown));
        }
        out += ":\n";
        for (const auto& line : lines) out += "  [your server] " + line + "\n";
    } else if (!record.server_command.empty()) {
        out += "Your server wrote nothing to stderr but its READY line.\n";
    }
    out += "Rerun only this test:\n  " + rerun_command(test_name) + "\n";
    return out;
}

} // namespace

GradeListener::GradeListener(bool full_report, std::filesystem::path results_file)
    : full_report_(full_report), results_file_(std::move(results_file))
{
}

void GradeListener::OnTestStart(const ::testing::TestInfo&)
{
    reset_current_test();
    failures_.clear();
    skip_reason_.clear();
    started_ = std::chrono::steady_clock::now();
}

void GradeListener::OnTestPartResult(const ::testing::TestPartResult& result)
{
    if (result.skipped()) {
        skip_reason_ = result.message();
        return;
    }
    if (!result.failed()) return;
    std::string where = base_name(result.file_name());
    if (!where.empty() && result.line_number() > 0) where += ":" + std::to_string(result.line_number());
    std::string message = result.message();
    // ADD_FAILURE() and FAIL() start with "Failed\n": noise in a report.
    if (message.rfind("Failed\n", 0) == 0) message.erase(0, 7);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    failures_ += (where.empty() ? "" : where + ": ") + message + "\n";
}

void GradeListener::OnTestEnd(const ::testing::TestInfo& test)
{
    const auto& record = current_test();
    TestResult result;
    result.name = std::string(test.test_suite_name()) + "." + test.name();
    result.suite_stage = suite_stage();
    result.max_points = record.declared ? record.points : 0;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    result.hint = record.hint;
    if (test.result()->Skipped()) {
        result.status = "na";
        result.reason = skip_reason_.empty() ? "not applicable" : skip_reason_;
    } else if (test.result()->Failed()) {
        result.status = "fail";
        result.failure = failure_report(result.name, failures_);
        // What this server showed beats what the test expects in general.
        if (auto observed = hint_from_stderr(record.server_stderr)) result.hint = std::move(*observed);
    } else {
        result.status = "pass";
        result.points = result.max_points;
    }

    if (full_report_) std::printf("%s", report_line(result).c_str());
    if (result.status == "fail") {
        std::string details = failure_details(result);
        if (!record.declared) details += "      (this test declares no points: a bug in the grader)\n";
        std::printf("%s\n", details.c_str());
    }
    std::fflush(stdout);

    if (!results_file_.empty()) {
        std::ofstream out(results_file_, std::ios::app);
        out << to_results_line(result);
    }
}

} // namespace papaya::grader
