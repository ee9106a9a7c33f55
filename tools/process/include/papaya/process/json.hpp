#pragma once
/// @file
/// @brief JSON string literals, for the machine-readable outputs of the tools.

#include <string>
#include <string_view>

namespace papaya::process {

/// @p text as a JSON string literal, quotes included: " and \ escaped, \n \r \t
/// by name, other control bytes as \u00XX; other bytes (UTF-8) pass unchanged.
std::string json_string(std::string_view text);

} // namespace papaya::process
