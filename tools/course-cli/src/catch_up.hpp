#pragma once
/// @file
/// @brief `catch-up N`: the solution's files of labs 0..N replace the
/// student's, after asking; theirs are kept under .state/catch-up-DATE/.

#include <string>
#include <vector>

#include "paths.hpp"

namespace papaya::course {

/// The stage files of labs 0..@p stage (the stage table's files), in stage order.
std::vector<std::string> catch_up_files(int stage);

/// "catch-up-20261206-051500" for the local time now.
std::string backup_name();

/// Runs `catch-up @p stage`; @p yes answers the question without a terminal.
/// @throws CourseError when the stage is out of range, the answer is no, or nobody can answer.
void catch_up(const Paths& paths, int stage, bool yes);

} // namespace papaya::course
