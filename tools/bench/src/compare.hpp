#pragma once
// Two servers under the same load, interleaved (A B A B ...) so drift of the
// machine hits both alike; medians, ratios A/B with their spread, CSV/JSON, plots.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "run.hpp"

namespace bench {

struct CompareConfig {
    RunConfig a; ///< label, server, stage; load fields are per point
    RunConfig b;
    std::vector<std::uint32_t> clients;
    int repeat = 5;
    double max_deliveries_per_s = 0; ///< > 0: lower the per-client rate so N*rate*fanout stays below it
    std::string out_dir;             ///< where CSV/JSON/plots go ("" = none)
    bool plots = true;
    double quiet_wait_s = 0; ///< before each run, wait up to this long for other load to end
    int retries = 0;         ///< rerun a point invalidated by other load up to this often
    std::string title;
};

/// Runs everything, prints the table to @p out (and, when a.stage is set, what
/// the numbers mean at that stage: its compare_explain in labs/stages.json);
/// returns 0, or 1 when any run was incorrect.
int run_compare(const CompareConfig& config, std::ostream& out);

} // namespace bench
