#pragma once
// What a compare prints and writes once its runs are made: the table, what the
// numbers mean at the stages measured, summary.csv/json, plot.dat and the plots.
// The same report is made again from a committed runs.csv (papaya-bench summarize),
// so a table is never edited by hand when the code that prints it improves.
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "run.hpp"

namespace bench {

/// A compare's runs and how to present them.
struct CompareRuns {
    std::string title;
    std::vector<std::string> labels;    ///< the servers in the compare's order; the last is the reference
    std::vector<std::uint32_t> clients; ///< the client counts in the order they ran
    int repeat = 0;                     ///< runs per server and count that were asked for
    std::vector<RunResult> runs;        ///< every run, in the order they ran
    /// The floor's CPU per delivery per client count (read_floor_medians); empty: not shown.
    std::map<std::uint32_t, double> floor_us;
};

/// Prints the table to @p out; when @p out_dir is not empty writes summary.csv,
/// summary.json, plot.dat and (when @p plots) the plots there. A server with no
/// run at a count is shown as stopped, with its first incorrect run as the reason.
/// Returns how many runs were incorrect.
std::size_t report_compare(const CompareRuns& c, const std::string& out_dir, bool plots, std::ostream& out);

/// The runs of <dir>/runs.csv as a CompareRuns: servers and client counts in the
/// order they first ran, repeat the most runs any server made at one count.
/// @throws std::runtime_error when the file is missing or not a runs.csv.
CompareRuns read_compare_runs(const std::string& dir);

} // namespace bench
