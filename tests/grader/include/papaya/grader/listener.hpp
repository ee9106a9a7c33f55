#pragma once
/// @file
/// @brief The grade report: one line per test and, for each failure, what the
/// test did, what went wrong, the hint, the server's stderr and the rerun command.

#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace papaya::grader {

/// Prints the grade report. In grade mode it replaces GoogleTest's printer;
/// otherwise (ctest) it runs beside it and prints only the failure details.
class GradeListener : public ::testing::EmptyTestEventListener {
public:
    /// @param full_report one line per test (grade mode), else failure details only.
    /// @param results_file if not empty, each test's result is appended to it (results.hpp).
    GradeListener(bool full_report, std::filesystem::path results_file);

    /// Resets the test's record and starts its clock.
    void OnTestStart(const ::testing::TestInfo& test) override;
    /// Collects failure messages and the reason of a skip.
    void OnTestPartResult(const ::testing::TestPartResult& result) override;
    /// Prints the test's line (and details) and records the result.
    void OnTestEnd(const ::testing::TestInfo& test) override;

private:
    bool full_report_;
    std::filesystem::path results_file_;
    std::chrono::steady_clock::time_point started_;
    std::string failures_;
    std::string skip_reason_;
};

} // namespace papaya::grader
