#pragma once
/// @file
/// @brief The student's commands (tools/course start, status): each returns
/// the program's exit status.

#include <string>

#include "paths.hpp"

namespace papaya::course {

/// What start and status grade: a target of tests/targets.conf or cmd:COMMAND.
/// "student" (labs/server/) is built first; the tests name another.
struct Grading {
    Paths paths;
    std::string target = "student";
};

/// `start`: the first lab the server does not pass, shown; in a terminal,
/// re-graded on every save until q. Without one: 0 only when every lab passes.
int start(const Grading& grading);

/// `status`: the table of labs, each suite graded alone.
int status(const Grading& grading);

} // namespace papaya::course
