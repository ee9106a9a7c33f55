#pragma once
/// @file
/// @brief One test's result as a suite passes it to the grade runner: one line
/// of tab-separated, backslash-escaped fields in a results file.

#include <optional>
#include <string>
#include <string_view>

namespace papaya::grader {

/// The result of one stage test.
struct TestResult {
    std::string name;    ///< Suite.Test
    int suite_stage = 0; ///< The stage of the suite the test belongs to.
    std::string status;  ///< "pass", "fail" or "na".
    int points = 0;      ///< Points earned.
    int max_points = 0;  ///< Points the test is worth.
    double seconds = 0;  ///< Wall time.
    std::string hint;    ///< The test's hint.
    std::string failure; ///< The failure report (empty unless status is "fail").
    std::string reason;  ///< Why the test is not applicable (empty unless "na").
};

/// @p result as one line of a results file (with its `\n`).
std::string to_results_line(const TestResult& result);

/// Parses one line written by to_results_line() (without its `\n`); nothing when malformed.
std::optional<TestResult> from_results_line(std::string_view line);

} // namespace papaya::grader
