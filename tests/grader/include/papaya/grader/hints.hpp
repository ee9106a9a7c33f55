#pragma once
/// @file
/// @brief Hints chosen from what a failing server showed, ahead of the test's
/// own hint: a test knows what it checks, not why this server failed it.

#include <optional>
#include <string>
#include <string_view>

namespace papaya::grader {

/// The hint that the server's stderr points at, if any: an unwritten
/// `TODO(lab N)` stub (named, with its README), or a system call's error
/// that carries an errno the call never sets (errno overwritten before it
/// was read). Nothing when the stderr says nothing of the kind.
std::optional<std::string> hint_from_stderr(std::string_view server_stderr);

} // namespace papaya::grader
