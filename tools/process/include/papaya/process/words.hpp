#pragma once
/// @file
/// @brief Splitting a command line held in one string (an environment variable,
/// a command-line option) into the words of an argv.

#include <string>
#include <string_view>
#include <vector>

namespace papaya::process {

/// Splits @p text into words like a POSIX shell that expands nothing: blanks
/// (space, tab, newline) separate words; '...' quotes everything up to the next
/// '; "..." quotes too, and inside it a backslash escapes only " \ $ and `;
/// outside quotes a backslash escapes the next byte. Quotes may join parts of
/// one word (a'b c'd is one word) and '' is an empty word. Not supported:
/// variables, globs, ~, $(...), redirections, comments (they stay literal).
/// @throws std::invalid_argument on an unterminated quote or a trailing backslash.
std::vector<std::string> split_words(std::string_view text);

/// True when @p item is one of the items of @p list separated by @p separator
/// (e.g. the NUL-separated /proc/PID/environ, a comma-separated option list).
bool list_contains(std::string_view list, char separator, std::string_view item);

/// @p words joined with single spaces, for messages (no quoting).
std::string join_words(const std::vector<std::string>& words);

} // namespace papaya::process
