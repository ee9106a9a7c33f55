#include "papaya/grader/report_text.hpp"

#include <cstdio>

namespace papaya::grader {

std::string report_line(const TestResult& result)
{
    const char* label = result.status == "pass" ? "PASS" : result.status == "fail" ? "FAIL" : "N/A ";
    const std::string points = result.status == "na"
                                   ? "  -/" + std::to_string(result.max_points)
                                   : std::to_string(result.points) + "/" + std::to_string(result.max_points);
    char line[64];
    std::snprintf(line, sizeof line, "%s %6s %7.2fs  ", label, points.c_str(), result.seconds);
    std::string out = line + result.name;
    if (result.status == "na") out += "  (" + result.reason + ")";
    return out + "\n";
}

std::string failure_details(const TestResult& result)
{
    if (result.status != "fail") return "";
    std::string details = indent_lines(result.failure, "      ");
    if (!result.hint.empty()) details += "      Hint: " + result.hint + "\n";
    return details;
}

std::string indent_lines(std::string_view text, std::string_view prefix)
{
    std::string out;
    while (!text.empty()) {
        const auto end = text.find('\n');
        out += std::string(prefix) + std::string(text.substr(0, end)) + "\n";
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return out;
}

} // namespace papaya::grader
