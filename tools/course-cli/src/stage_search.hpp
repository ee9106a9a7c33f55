#pragma once
/// @file
/// @brief Where the student is: each lab's suite graded alone, and the first
/// lab whose suite does not pass.

#include <functional>
#include <string>

#include "papaya/grader/grading.hpp"

namespace papaya::course {

/// Grades suite @p stage alone (no regression) against @p target, its report silenced.
grader::GradeReport grade_suite(int stage, const std::string& target);

/// Grades a suite: grade_suite, or a stand-in in the tests.
using SuiteGrader = std::function<grader::GradeReport(int stage)>;

/// The first stage from @p from on whose suite does not pass, with its report.
struct Position {
    int stage = 0; ///< last_stage + 1 when every suite passes.
    grader::GradeReport report;
};

/// Grades suites @p from, @p from + 1, ... until one does not pass (progress.hpp).
Position first_unfinished_stage(int from, const SuiteGrader& grade);

} // namespace papaya::course
