#pragma once
// Figures with gnuplot (Debian gnuplot-nox): a data table and a script written
// next to the CSV, then rendered to PNG and SVG.
#include <string>
#include <vector>

namespace bench {

struct PlotPoint {
    double clients = 0;
    // [0] = A, [1] = B: median over repeats, and the min/max of the repeats.
    double cpu[2]{}, cpu_lo[2]{}, cpu_hi[2]{};
    double cv[2]{}, cv_lo[2]{}, cv_hi[2]{};
    double us_per_delivery[2]{};
    double p99_us[2]{};
    double mem_kib[2]{};
};

/// Reads back the <dir>/plot.dat that render_plots wrote (papaya-bench plot:
/// new figures from committed data, without measuring again).
std::vector<PlotPoint> read_plot_data(const std::string& dir);

/// Writes <dir>/plot.dat and <dir>/plots.gp and runs gnuplot on it (when found).
/// Returns "" on success, else why nothing was rendered.
std::string render_plots(const std::string& dir, const std::string& title, const std::string& label_a,
                         const std::string& label_b, const std::vector<PlotPoint>& points);

/// Draws a soak's timeline from <dir>/@p data_file (papaya-soak's samples.tsv:
/// minutes, phase, processes, zombies, threads, fds, PSS MiB, log MiB):
/// soak_counts.{png,svg} and soak_memory.{png,svg}, via <dir>/soak.gp.
/// Returns "" on success, else why nothing was rendered.
std::string render_timeline(const std::string& dir, const std::string& title, const std::string& data_file);

} // namespace bench
