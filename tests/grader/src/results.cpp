#include "papaya/grader/results.hpp"

#include <cstdio>
#include <vector>

namespace papaya::grader {

namespace {

std::string escape_field(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

std::string unescape_field(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\' || i + 1 == text.size()) {
            out += text[i];
            continue;
        }
        const char next = text[++i];
        out += next == 't' ? '\t' : next == 'n' ? '\n' : next;
    }
    return out;
}

} // namespace

std::string to_results_line(const TestResult& result)
{
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", result.seconds);
    const std::vector<std::string> fields{result.name,
                                          std::to_string(result.suite_stage),
                                          result.status,
                                          std::to_string(result.points),
                                          std::to_string(result.max_points),
                                          seconds,
                                          escape_field(result.hint),
                                          escape_field(result.failure),
                                          escape_field(result.reason)};
    std::string line;
    for (const auto& field : fields) line += (line.empty() ? "" : "\t") + field;
    return line + "\n";
}

std::optional<TestResult> from_results_line(std::string_view line)
{
    std::vector<std::string_view> fields;
    for (;;) {
        const auto tab = line.find('\t');
        fields.push_back(line.substr(0, tab));
        if (tab == std::string_view::npos) break;
        line.remove_prefix(tab + 1);
    }
    if (fields.size() != 9) return std::nullopt;
    try {
        TestResult result;
        result.name = std::string(fields[0]);
        result.suite_stage = std::stoi(std::string(fields[1]));
        result.status = std::string(fields[2]);
        result.points = std::stoi(std::string(fields[3]));
        result.max_points = std::stoi(std::string(fields[4]));
        result.seconds = std::stod(std::string(fields[5]));
        result.hint = unescape_field(fields[6]);
        result.failure = unescape_field(fields[7]);
        result.reason = unescape_field(fields[8]);
        return result;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace papaya::grader
