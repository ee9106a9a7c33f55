#pragma once
/// @file
/// @brief A suite's result as the student sees it: tests passed out of the
/// applicable ones (an N/A test counts in no total), and a progress bar.

#include <string>

#include "papaya/grader/grading.hpp"

namespace papaya::course {

struct SuiteTally {
    int passed = 0;
    int total = 0; ///< Applicable tests: passed and failed.
    grader::Score points;
    bool incomplete = false; ///< The suite crashed: its results are partial.

    /// Every applicable test passed, at least one ran, and the suite did not crash.
    [[nodiscard]] bool passes() const { return total > 0 && passed == total && !incomplete; }
};

/// The tally of @p report (a suite graded alone).
SuiteTally tally(const grader::GradeReport& report);

/// "[#########.....................] 3/10 tests" (30 columns).
std::string progress_bar(int passed, int total);

} // namespace papaya::course
