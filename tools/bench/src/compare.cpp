#include "compare.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

#include "clock.hpp"
#include "compare_summary.hpp"
#include "file_io.hpp"
#include "papaya/stages.hpp"
#include "plots.hpp"
#include "proc_parse.hpp"
#include "progress.hpp"
#include "recorded_path.hpp"
#include "report.hpp"

namespace bench {

namespace {

/// Per client count, per server (in the compare's order): the runs in the order they ran.
using RunsByClients = std::map<std::uint32_t, std::vector<std::vector<RunResult>>>;

// The machine is shared: before a run, wait (bounded) until other work uses less
// than a fifth of a core, measured from /proc/stat over one second.
double wait_for_quiet(double max_s)
{
    const std::int64_t deadline = now_ns() + static_cast<std::int64_t>(max_s * 1e9);
    const long hz = ::sysconf(_SC_CLK_TCK);
    double busy = 0;
    for (;;) {
        const auto a = try_read_file("/proc/stat");
        const std::int64_t t0 = now_ns();
        std::this_thread::sleep_for(std::chrono::seconds(1)); // the measurement interval itself
        const auto b = try_read_file("/proc/stat");
        const std::int64_t t1 = now_ns();
        const auto ba = a ? parse_proc_stat_busy_ticks(*a) : std::nullopt;
        const auto bb = b ? parse_proc_stat_busy_ticks(*b) : std::nullopt;
        if (!ba || !bb) return 0;
        busy = 100.0 * static_cast<double>(*bb - *ba) / static_cast<double>(hz > 0 ? hz : 100) /
               (static_cast<double>(t1 - t0) / 1e9);
        if (busy < 20 || now_ns() >= deadline) return busy;
    }
}

double per_client_rate(const CompareConfig& c, const RunConfig& rc, std::uint32_t n)
{
    double rate = rc.load.rate;
    if (c.max_deliveries_per_s > 0) {
        const double fan = rc.workload == Workload::chat ? n : 1.0;
        const double deliveries = rate * n * fan;
        if (deliveries > c.max_deliveries_per_s) rate = c.max_deliveries_per_s / (n * fan);
    }
    return rate;
}

RunResult failed_run(const RunConfig& rc, const std::exception& e)
{
    RunResult r;
    r.label = rc.label;
    r.workload = to_string(rc.workload);
    r.clients = rc.load.clients;
    r.correct = false;
    r.completed = false;
    r.valid = false;
    r.errors = std::string("run failed: ") + e.what();
    r.invalid_reason = r.errors;
    return r;
}

/// One run of @p rc, after waiting for a quiet machine when asked; rerun while
/// the generator side spoilt it (never when it was wrong), up to c.retries times.
RunResult run_point(const CompareConfig& c, const RunConfig& rc, Progress& progress)
{
    const std::string where = rc.label + " clients=" + std::to_string(rc.load.clients);
    for (int attempt = 0;; ++attempt) {
        if (c.quiet_wait_s > 0) {
            const double busy = wait_for_quiet(c.quiet_wait_s);
            if (busy >= 20)
                progress.note("(machine still " + std::to_string(static_cast<int>(busy)) +
                              "% busy with other work after waiting)");
        }
        RunResult r;
        try {
            r = run_once(rc);
        } catch (const std::exception& e) {
            r = failed_run(rc, e);
        }
        if (r.valid || !r.correct || attempt >= c.retries) {
            if (!r.correct) progress.note("!!! " + where + ": " + r.errors);
            if (!r.valid && r.correct) progress.note("(invalid) " + where + ": " + r.invalid_reason);
            return r;
        }
        progress.note("(retry) " + where + ": " + r.invalid_reason);
    }
}

/// Where a server stopped (CompareConfig::stop_at_failure): "" while it runs.
using Stops = std::vector<std::string>;

/// Every run, the servers interleaved per repeat so drift of the machine hits
/// all alike; each written to runs.csv as soon as it ends.
std::vector<RunResult> run_all(const CompareConfig& c, RunsByClients& by_side, Stops& stops, std::ostream* runs_csv)
{
    std::vector<RunResult> all;
    stops.assign(c.servers.size(), "");
    Progress progress(c.clients.size() * static_cast<std::size_t>(c.repeat) * c.servers.size());
    std::size_t step = 0;
    for (const std::uint32_t n : c.clients) {
        by_side[n].resize(c.servers.size());
        for (int rep = 0; rep < c.repeat; ++rep) {
            for (std::size_t s = 0; s < c.servers.size(); ++s, ++step) {
                if (!stops[s].empty()) continue;
                RunConfig rc = c.servers[s];
                rc.load.clients = n;
                rc.load.rate = per_client_rate(c, rc, n);
                progress.update(step, rc.label + " clients=" + std::to_string(n) + " repeat " +
                                          std::to_string(rep + 1) + "/" + std::to_string(c.repeat));
                RunResult r = run_point(c, rc, progress);
                if (runs_csv != nullptr) *runs_csv << csv_row(r) << std::flush << '\n';
                if (c.stop_at_failure && !r.correct) {
                    stops[s] = "at " + std::to_string(n) + " clients: " + r.errors;
                    progress.note("(stopped) " + rc.label + " is not run again: " + stops[s]);
                }
                by_side[n][s].push_back(r);
                all.push_back(std::move(r));
            }
        }
    }
    return all;
}

/// @p text folded into lines of at most @p width columns (at spaces).
std::string fold(std::string_view text, std::size_t width)
{
    std::string out;
    std::size_t column = 0;
    while (!text.empty()) {
        const auto space = text.find(' ');
        const std::string_view word = text.substr(0, space);
        if (column > 0 && column + 1 + word.size() > width) {
            out += '\n';
            column = 0;
        } else if (column > 0) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
    }
    return out + "\n";
}

void write_run_files(const std::string& dir, const std::vector<RunResult>& all, const std::string& summary_json)
{
    std::ofstream(dir + "/summary.json") << summary_json << "\n]\n";
    std::ofstream runs_json(dir + "/runs.json");
    runs_json << "[\n";
    for (std::size_t i = 0; i < all.size(); ++i) runs_json << (i ? ",\n" : "") << json_of(all[i]);
    runs_json << "\n]\n";
}

} // namespace

int run_compare(const CompareConfig& c, std::ostream& out)
{
    std::ofstream runs_csv;
    if (!c.out_dir.empty()) {
        std::filesystem::create_directories(c.out_dir);
        runs_csv.open(c.out_dir + "/runs.csv");
        runs_csv << csv_header() << '\n';
    }
    if (c.servers.size() < 2) throw std::invalid_argument("compare needs at least two servers");
    RunsByClients by_side;
    Stops stops;
    const std::vector<RunResult> all = run_all(c, by_side, stops, runs_csv.is_open() ? &runs_csv : nullptr);
    const auto failures = std::count_if(all.begin(), all.end(), [](const RunResult& r) { return !r.correct; });

    std::vector<std::string> labels;
    for (const auto& rc : c.servers) labels.push_back(rc.label);
    out << "\n"
        << c.title << " (medians of " << c.repeat << " interleaved runs; ratios to " << labels.back()
        << ": median [min..max] of the per-repeat ratios" << (c.floor_us.empty() ? "" : "; x floor: over the kernel's")
        << ")\n"
        << table_header(labels.back());
    std::vector<PlotPoint> points;
    std::ofstream summary_csv;
    if (!c.out_dir.empty()) summary_csv.open(c.out_dir + "/summary.csv");
    summary_csv << summary_csv_header();
    std::string summary_json = "[";
    for (const std::uint32_t n : c.clients) {
        const auto floor = c.floor_us.find(n);
        const double floor_us = floor == c.floor_us.end() ? std::numeric_limits<double>::quiet_NaN() : floor->second;
        PointSummary point = summarize_point(n, by_side[n], labels, floor_us);
        for (std::size_t s = 0; s < point.sides.size(); ++s) {
            if (point.sides[s].runs > 0 || stops[s].empty()) continue;
            point.sides[s].stopped = stops[s];
            point.notes += labels[s] + ": not run (stopped " + stops[s] + "); ";
        }
        out << table_rows(point);
        points.push_back(plot_point(point));
        for (std::size_t s = 0; s < point.sides.size(); ++s) {
            summary_csv << summary_csv_row(point, s);
            summary_json += (summary_json.size() > 1 ? ",\n " : "\n ") + summary_json_entry(point, s);
        }
    }
    out << "CPU source: " << (all.empty() ? "" : all.front().cpu_source)
        << (all.empty() || all.front().memory_source.empty() ? "" : "; memory: PSS sum + " + all.front().memory_source)
        << "\n";
    // What the numbers mean at the stages measured, from the stage table.
    std::set<int> stages;
    for (const auto& rc : c.servers)
        if (rc.stage >= 0) stages.insert(rc.stage);
    for (const int stage : stages)
        out << "\n" << fold(papaya::stages.at(static_cast<std::size_t>(stage)).compare_explain, 100);
    if (!c.out_dir.empty()) {
        write_run_files(c.out_dir, all, summary_json);
        // The table is committed with the results: name the directory relative to the repository.
        const std::string where = recorded_path(c.out_dir);
        if (c.plots) {
            const std::string why = render_plots(c.out_dir, c.title, labels, points);
            out << (why.empty() ? "plots: " + where + "/" + plot_names() + ".{png,svg}" : why) << "\n";
        }
        out << "data: " << where << "/{runs,summary}.{csv,json}\n";
    }
    if (failures) {
        out << "!!!!!!!! " << failures << " run(s) INCORRECT (loss, duplicates, reordering or failure): see above\n";
    }
    return failures ? 1 : 0;
}

} // namespace bench
