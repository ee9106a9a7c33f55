#pragma once
// One run's result as text for a person, as a CSV row, and as JSON.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "run.hpp"

namespace bench {

void print_run(const RunResult& r, std::ostream& out);
std::string csv_header();
std::string csv_row(const RunResult& r);
std::string json_of(const RunResult& r);
/// The runs of a runs.csv (csv_header, then csv_row per run), for recomputing
/// a compare's summary from committed data (papaya-bench summarize). Columns the
/// file lacks keep RunResult's defaults; series only runs.json holds stay empty.
/// @throws std::runtime_error naming the run and column of a value that does not parse.
std::vector<RunResult> read_runs_csv(std::string_view text);
/// How the errors of a run that could not be set up begin (RunResult::completed false).
inline constexpr std::string_view failed_run_prefix = "run failed: ";
/// @p v as `%.6g`: how every number of the tool's CSV and JSON files is written.
std::string format_number(double v);

} // namespace bench
