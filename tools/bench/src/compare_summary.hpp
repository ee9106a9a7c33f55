#pragma once
// One client count of a compare, summarised: per side the medians over its
// runs (valid ones when there are any), A/B ratios per interleaved pair, and
// that summary as a table row, a summary.csv row and a summary.json entry.
#include <cstdint>
#include <string>
#include <vector>

#include "plots.hpp"
#include "run.hpp"

namespace bench {

/// A median and the spread of the values it is the median of.
struct Spread {
    double median = 0, min = 0, max = 0;
};

/// One side (A or B) at one client count.
struct SideSummary {
    std::string label;
    std::size_t runs = 0, valid_runs = 0, correct_runs = 0;
    Spread cpu, cv;
    double us_per_delivery = 0, deliveries_per_s = 0, p99_us = 0, fanout_p99_us = 0;
    double mem_per_client = 0, pss_loaded = 0, processes = 0, threads = 0, generator_cpu = 0;
};

struct PointSummary {
    std::uint32_t clients = 0;
    SideSummary side[2]; ///< [0] = A, [1] = B
    Spread cpu_ratio;    ///< A/B of the mean CPU %, per interleaved pair
    Spread us_per_delivery_ratio;
    std::string notes; ///< invalid and incorrect runs per side
};

/// Summarises the runs of A (@p a) and B (@p b) at @p clients.
PointSummary summarize_point(std::uint32_t clients, const std::vector<RunResult>& a, const std::vector<RunResult>& b,
                             const std::string& label_a, const std::string& label_b);

/// The header line of the table, then a row per point.
std::string table_header(const std::string& label_a, const std::string& label_b);
std::string table_row(const PointSummary& point);

/// The header of summary.csv, then a row per point and side.
std::string summary_csv_header();
std::string summary_csv_row(const PointSummary& point, int side);
/// One object of summary.json, per point and side.
std::string summary_json_entry(const PointSummary& point, int side);

/// The point as the plots draw it.
PlotPoint plot_point(const PointSummary& point);

} // namespace bench
