#pragma once
/// @file
/// @brief The config file format: one `NAME value` setting per line,
/// compatible with the original papayaChat's `PORT 7722`.

#include <cstddef>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

namespace papaya {

/// One `NAME value` line of a config file.
struct ConfigEntry {
    std::string option; ///< The long option it sets: `MAX_CLIENTS` becomes `max-clients`.
    std::string value;  ///< Everything after the name and its blanks, trailing blanks removed.
    std::size_t line;   ///< 1-based line number, for error messages.
};

/// A config file that cannot be read; what() names the line and the problem.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses a config file. Blank lines and lines whose first non-blank
/// character is `#` are skipped (a `#` later in a line is part of the value);
/// names are case-insensitive. The name ends at the first blank; the value is
/// the rest of the line after the blanks that follow it, without trailing
/// blanks or `\r`. Names are not checked against any list here.
/// @param in the file's contents.
/// @throws ConfigError "config line N: NAME has no value" for a name alone on its line.
std::vector<ConfigEntry> parse_config(std::istream& in);

} // namespace papaya
