#pragma once
/// @file
/// @brief The course's messages, as tools/course prints them: "course: ..." on stderr.

#include <stdexcept>
#include <string>
#include <string_view>

namespace papaya::course {

/// Prints "course: @p text" on stderr.
void say(std::string_view text);

/// A message that ends the command with exit status 1 (what tools/course's die does).
class CourseError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace papaya::course
