#pragma once
/// @file
/// @brief Building the student's server (and the grader) before grading it,
/// showing only the compiler's own lines when it does not compile.

#include <string>
#include <string_view>

#include "paths.hpp"

namespace papaya::course {

/// What a student needs of a failed build's log: the compiler's and the
/// linker's lines (file:line: error, undefined reference) with the 3 lines
/// after each, at most 60 lines; else the log's last 40 lines.
std::string compiler_messages(std::string_view log);

/// Builds papaya-student and papaya_grade in @p paths.build. On failure
/// prints compiler_messages() and a hint on stderr and returns false.
bool build_student_and_grader(const Paths& paths);

/// build_student_and_grader() when @p target is "student" (labs/server/);
/// any other target is graded as this build made it (true).
bool build_if_student(const Paths& paths, const std::string& target);

} // namespace papaya::course
