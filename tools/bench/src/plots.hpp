#pragma once
// Figures with gnuplot (Debian gnuplot-nox): a data table and a script written
// next to the CSV, then rendered to PNG and SVG.
#include <limits>
#include <string>
#include <vector>

namespace bench {

/// One server at one client count: medians over its repeats, and for CPU and
/// its CV the min/max of the repeats.
struct PlotSeries {
    bool measured = true; ///< false: no run completed here (the server stopped earlier, or failed): no point drawn
    double cpu = 0, cpu_lo = 0, cpu_hi = 0;
    double cv = 0, cv_lo = 0, cv_hi = 0;
    double us_per_delivery = 0;
    double p99_us = 0;
    double mem_kib = 0;
};

struct PlotPoint {
    double clients = 0;
    std::vector<PlotSeries> sides; ///< one per server, in the compare's order
    /// The kernel's CPU per delivery at this client count (papaya-bench floor); NaN when not measured.
    double floor_us = std::numeric_limits<double>::quiet_NaN();
};

/// Reads back the <dir>/plot.dat that render_plots wrote (papaya-bench plot:
/// new figures from committed data, without measuring again).
/// @throws std::runtime_error when it is missing or a line is not a data line.
std::vector<PlotPoint> read_plot_data(const std::string& dir);

/// Writes <dir>/plot.dat and <dir>/plots.gp and runs gnuplot on it (when found):
/// CPU %, its CV, CPU per delivery (with the floor when known), p99 latency and
/// memory per client, one series per label (@p labels in the order of PlotPoint::sides).
/// Returns "" on success, else why nothing was rendered.
std::string render_plots(const std::string& dir, const std::string& title, const std::vector<std::string>& labels,
                         const std::vector<PlotPoint>& points);

/// The figures render_plots draws, as "{a,b,...}" for a message naming the files.
std::string plot_names();

/// Draws a soak's timeline from <dir>/@p data_file (papaya-soak's samples.tsv:
/// minutes, phase, processes, zombies, threads, fds, PSS MiB, log MiB):
/// soak_counts.{png,svg} and soak_memory.{png,svg}, via <dir>/soak.gp.
/// Returns "" on success, else why nothing was rendered.
std::string render_timeline(const std::string& dir, const std::string& title, const std::string& data_file);

} // namespace bench
