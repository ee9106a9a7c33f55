#pragma once
/// @file
/// @brief `start`'s screen for one lab and `status`'s table, as text.

#include <string>
#include <string_view>

#include "papaya/grader/grading.hpp"

namespace papaya::course {

/// The screen of lab @p stage: its goal (@p readme is its README's text),
/// the files to edit, the progress bar, the first failure of @p report (its
/// suite graded alone) and where to read on.
std::string stage_screen(int stage, const grader::GradeReport& report, std::string_view readme);

/// The first failure's report as `grade` prints it (its line, details, a blank
/// line); for a suite that crashed, that; empty when nothing failed.
std::string first_failure(const grader::GradeReport& report);

/// `status`'s table header.
std::string status_header();

/// `status`'s row of lab @p stage, from @p report (its suite graded alone).
std::string status_row(int stage, const grader::GradeReport& report);

} // namespace papaya::course
