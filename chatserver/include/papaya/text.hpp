#pragma once
/// @file
/// @brief Small text helpers shared by the config parser, the client and the tests.

#include <string_view>

namespace papaya {

/// True for a blank: space, tab, carriage return, vertical tab or form feed.
/// @param c the character.
[[nodiscard]] constexpr bool is_blank(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/// @p text without its leading and trailing blanks (see is_blank()).
/// @param text the text; the result views the same characters.
[[nodiscard]] constexpr std::string_view trim_blanks(std::string_view text) noexcept
{
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

} // namespace papaya
