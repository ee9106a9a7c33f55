#pragma once
/// @file
/// @brief UTF-8 for the terminal: decoding, encoding, display width, and
/// turning received bytes into text that is safe to show.

#include <cstddef>
#include <string>
#include <string_view>

namespace papaya::client {

/// One decoded character of a UTF-8 string.
struct Utf8Char {
    char32_t code = 0;      ///< The code point (U+FFFD for an invalid sequence).
    std::size_t length = 0; ///< Bytes it occupies (1 for an invalid byte).
    bool valid = false;     ///< False for an invalid, overlong or truncated sequence.
};

/// Decodes the character at the start of @p text (which must not be empty).
/// Overlong forms, surrogates and values above U+10FFFF are invalid.
Utf8Char decode_utf8(std::string_view text) noexcept;

/// Appends the UTF-8 encoding of @p code to @p out (U+FFFD for an invalid code point).
void append_utf8(std::string& out, char32_t code);

/// Terminal columns @p code takes in the current locale (wcwidth): 0, 1 or 2,
/// or -1 when it cannot be shown (a control character, or the locale does not know it).
int char_width(char32_t code) noexcept;

/// Columns that valid UTF-8 @p text takes, as made by display_text().
std::size_t text_width(std::string_view text) noexcept;

/// Bytes received from the server made safe and measurable for the screen:
/// invalid UTF-8, control characters (which could drive the terminal) and
/// characters the locale cannot show become U+FFFD (or `?` when the locale
/// cannot show that either); a tab becomes a space. The result is valid UTF-8
/// in which every character has a width of 0, 1 or 2.
std::string display_text(std::string_view bytes);

/// Byte offset of the character before @p pos in valid UTF-8 @p text (0 at the start).
std::size_t previous_char(std::string_view text, std::size_t pos) noexcept;

/// Byte offset of the character after the one at @p pos (text.size() at the end).
std::size_t next_char(std::string_view text, std::size_t pos) noexcept;

} // namespace papaya::client
