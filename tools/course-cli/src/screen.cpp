#include "screen.hpp"

#include <cstdio>

#include "lab_guide.hpp"
#include "papaya/grader/report_text.hpp"
#include "papaya/stages.hpp"
#include "progress.hpp"

namespace papaya::course {

namespace {

std::string table_row(std::string_view lab, std::string_view topic, std::string_view points, std::string_view tests)
{
    char row[256];
    std::snprintf(row, sizeof row, "%-5.*s %-24.*s %-9.*s %.*s\n", static_cast<int>(lab.size()), lab.data(),
                  static_cast<int>(topic.size()), topic.data(), static_cast<int>(points.size()), points.data(),
                  static_cast<int>(tests.size()), tests.data());
    return row;
}

} // namespace

std::string first_failure(const grader::GradeReport& report)
{
    if (const auto* failed = report.first_failure())
        return grader::report_line(*failed) + grader::failure_details(*failed) + "\n";
    for (const auto& suite : report.suites)
        if (suite.abnormal) return grader::abnormal_suite_line(suite);
    return "";
}

std::string stage_screen(int stage, const grader::GradeReport& report, std::string_view readme)
{
    const auto t = tally(report);
    std::string out = "\n== Lab " + std::to_string(stage) + ": " +
                      std::string(stages.at(static_cast<std::size_t>(stage)).slug) + " ==\n\n";
    out += grader::indent_lines(goal_section(readme), "  ");
    out += "\n  Files to edit: " + files_to_edit(stage) + "\n";
    out += "  Progress:      " + progress_bar(t.passed, t.total) + "\n\n";
    out += first_failure(report);
    out += "\n  Read: " + readme_path(stage) + "   Grade it all: tools/course grade " + std::to_string(stage) + "\n";
    return out;
}

std::string status_header() { return table_row("Lab", "Topic", "Points", "Tests"); }

std::string status_row(int stage, const grader::GradeReport& report)
{
    const auto t = tally(report);
    return table_row(std::to_string(stage), stages.at(static_cast<std::size_t>(stage)).slug,
                     std::to_string(t.points.points) + "/" + std::to_string(t.points.max_points),
                     progress_bar(t.passed, t.total));
}

} // namespace papaya::course
