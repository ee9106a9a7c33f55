#pragma once
// Two or more servers under the same load, interleaved (A B C A B C ...) so
// drift of the machine hits all alike; medians, ratios to the last server with
// their spread, multiples of the kernel's floor, CSV/JSON, plots.
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "run.hpp"

namespace bench {

struct CompareConfig {
    /// Label, server, stage of each; load fields are per point. The last is the
    /// reference every ratio is taken to.
    std::vector<RunConfig> servers;
    std::vector<std::uint32_t> clients;
    int repeat = 5;
    double max_deliveries_per_s = 0; ///< > 0: lower the per-client rate so N*rate*fanout stays below it
    std::string out_dir;             ///< where CSV/JSON/plots go ("" = none)
    bool plots = true;
    double quiet_wait_s = 0; ///< before each run, wait up to this long for other load to end
    int retries = 0;         ///< rerun a point invalidated by other load up to this often
    /// A server whose run failed or was incorrect is not run again, at that client count or
    /// any later one: where a paradigm stops on this machine, found once instead of repeat times.
    bool stop_at_failure = false;
    std::string title;
    /// The floor's CPU per delivery per client count (read_floor_medians); empty: not shown.
    std::map<std::uint32_t, double> floor_us;
};

/// Runs everything, prints the table to @p out (and, for each stage the servers
/// run, what the numbers mean there: its compare_explain in labs/stages.json);
/// returns 0, or 1 when any run was incorrect.
int run_compare(const CompareConfig& config, std::ostream& out);

} // namespace bench
