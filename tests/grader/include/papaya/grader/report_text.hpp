#pragma once
/// @file
/// @brief A test's result as the grade report shows it on a console: its
/// PASS/FAIL/N/A line and a failure's details. The suites print it while they
/// run (listener.cpp); tools/course-cli shows a chosen failure with it.

#include <string>
#include <string_view>

#include "papaya/grader/results.hpp"

namespace papaya::grader {

/// "PASS    3/3    0.02s  Lab1.Name" (N/A: "  -/2" and "  (reason)"), with its '\n'.
std::string report_line(const TestResult& result);

/// A failed test's report and hint, indented under its line; empty unless it failed.
std::string failure_details(const TestResult& result);

/// @p text with @p prefix before each of its lines (every line ends with '\n').
std::string indent_lines(std::string_view text, std::string_view prefix);

} // namespace papaya::grader
