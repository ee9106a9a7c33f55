#pragma once
// One run's result as text for a person, as a CSV row, and as JSON.
#include <ostream>
#include <string>

#include "run.hpp"

namespace bench {

void print_run(const RunResult& r, std::ostream& out);
std::string csv_header();
std::string csv_row(const RunResult& r);
std::string json_of(const RunResult& r);
/// @p v as `%.6g`: how every number of the tool's CSV and JSON files is written.
std::string format_number(double v);

} // namespace bench
