#pragma once
/// @file
/// @brief Comparing byte strings for a failure report: both sides escaped and
/// a caret under the first difference.

#include <cstddef>
#include <string>
#include <string_view>

namespace papaya::grader {

/// @p bytes with every non-printable byte escaped (`\n`, `\x00`), no quotes.
std::string escaped(std::string_view bytes);

/// Empty when @p expected equals @p got; else a few lines: both lengths, the
/// offset of the first difference, an escaped window of each side around it
/// and a caret under the difference.
std::string describe_difference(std::string_view expected, std::string_view got);

/// Adds a test failure (at the caller's test) unless @p got equals @p expected.
/// @param what names the bytes in the message ("the echo of 1 MiB").
/// @return true when they are equal.
bool expect_bytes(std::string_view expected, std::string_view got, std::string_view what = "the bytes");

} // namespace papaya::grader
