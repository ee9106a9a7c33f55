#pragma once
/// @file
/// @brief Wrapping a message into screen rows by display width (not bytes,
/// not characters): wide characters take two columns and are never split.

#include <cstddef>
#include <string_view>
#include <vector>

namespace papaya::client {

/// One screen row of a wrapped text: the bytes [begin, end).
struct RowSpan {
    std::size_t begin = 0; ///< First byte of the row.
    std::size_t end = 0;   ///< One past its last byte.

    /// Equal spans (for tests).
    friend bool operator==(const RowSpan&, const RowSpan&) = default;
};

/// Wraps @p text (valid UTF-8 as made by display_text()) into rows of at most
/// @p width columns; rows after the first are meant to be drawn after
/// @p indent blanks, so they hold at most width - indent columns (at least 1).
/// Breaks after a word where it can (the blank at the break is dropped),
/// before a wide (CJK) character, and inside a word longer than a row. Zero-width characters stay with
/// the character before them. A character wider than a whole row gets a row
/// of its own. Every text, the empty one included, gives at least one row.
std::vector<RowSpan> wrap_text(std::string_view text, std::size_t width, std::size_t indent = 0);

} // namespace papaya::client
