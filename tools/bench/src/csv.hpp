#pragma once
// The CSV of runs.csv and summary.csv (RFC 4180): a field is quoted when it
// holds a comma, a quote or a line break, and a quote inside is doubled.
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// @p s as one CSV field.
std::string csv_field(std::string_view s);

/// The records of @p text (a trailing line break ends the last record; a quoted
/// field may hold commas, doubled quotes and line breaks).
/// @throws std::runtime_error naming the line of a quote left open or of text after a closing quote.
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

} // namespace bench
