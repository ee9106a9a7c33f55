#pragma once
// One client count of a compare, summarised: per server the medians over its
// runs (valid ones when there are any), its ratios to the reference server per
// interleaved repeat, its multiple of the floor, and that summary as table
// rows, summary.csv rows and summary.json entries.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "plots.hpp"
#include "run.hpp"

namespace bench {

/// A median and the spread of the values it is the median of.
struct Spread {
    double median = 0, min = 0, max = 0;
};

/// One server at one client count.
struct SideSummary {
    std::string label;
    std::size_t runs = 0, valid_runs = 0, correct_runs = 0;
    std::size_t failed_runs = 0; ///< could not be set up (RunResult::completed false): counted as not correct too
    std::string failure;         ///< why the first of them failed
    std::string stopped;         ///< no run: where and why this server stopped earlier (compare --stop-at-failure)
    Spread cpu, cv;
    double us_per_delivery = 0, deliveries_per_s = 0, p50_us = 0, p99_us = 0, fanout_p50_us = 0, fanout_p99_us = 0;
    double mem_per_client = 0, pss_loaded = 0, processes = 0, threads = 0, switches_per_delivery = 0;
    double generator_cpu = 0;
    Spread cpu_ratio; ///< to the reference, of the mean CPU %, per interleaved repeat (the reference: 1)
    Spread us_per_delivery_ratio;
    /// CPU per delivery over the floor's at this client count; NaN when the floor is not known.
    double floor_multiple = std::numeric_limits<double>::quiet_NaN();
    std::string invalid_reason; ///< why the first invalid run that completed was flagged
    /// No valid run among those that completed (the generator could not keep up, the machine was
    /// busy, too few samples): the figures are not a server result.
    bool no_valid_run() const { return runs > failed_runs && valid_runs == 0; }
};

struct PointSummary {
    std::uint32_t clients = 0;
    std::vector<SideSummary> sides; ///< in the compare's order; the last is the reference
    double floor_us = std::numeric_limits<double>::quiet_NaN();
    std::string notes; ///< invalid, incorrect and generator-bound runs per server
};

/// Summarises the runs of each server (@p runs[i] with @p labels[i]) at
/// @p clients; ratios are to the last server; @p floor_us is the floor's CPU
/// per delivery at this count (NaN: not measured).
PointSummary summarize_point(std::uint32_t clients, const std::vector<std::vector<RunResult>>& runs,
                             const std::vector<std::string>& labels, double floor_us);

/// The header lines of the table, then rows per point (one per server, and the floor's when known).
std::string table_header(const std::string& reference_label);
std::string table_rows(const PointSummary& point);

/// The header of summary.csv, then a row per point and server.
std::string summary_csv_header();
std::string summary_csv_row(const PointSummary& point, std::size_t side);
/// One object of summary.json, per point and server.
std::string summary_json_entry(const PointSummary& point, std::size_t side);

/// The point as the plots draw it.
PlotPoint plot_point(const PointSummary& point);

} // namespace bench
