#include "compare.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
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

/// Per side (0 = A, 1 = B), per client count: the runs in the order they ran.
using RunsByClients = std::map<std::uint32_t, std::vector<RunResult>>;

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
    r.valid = false;
    r.errors = std::string("run failed: ") + e.what();
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
            if (!r.valid) progress.note("(invalid) " + where + ": " + r.invalid_reason);
            return r;
        }
        progress.note("(retry) " + where + ": " + r.invalid_reason);
    }
}

/// Every run, A and B interleaved per repeat so drift of the machine hits both
/// alike; each written to runs.csv as soon as it ends.
std::vector<RunResult> run_all(const CompareConfig& c, RunsByClients (&by_side)[2], std::ostream* runs_csv)
{
    const RunConfig* sides[2] = {&c.a, &c.b};
    std::vector<RunResult> all;
    Progress progress(c.clients.size() * static_cast<std::size_t>(c.repeat) * 2);
    for (const std::uint32_t n : c.clients) {
        for (int rep = 0; rep < c.repeat; ++rep) {
            for (int s = 0; s < 2; ++s) {
                RunConfig rc = *sides[s];
                rc.load.clients = n;
                rc.load.rate = per_client_rate(c, rc, n);
                progress.update(all.size(), rc.label + " clients=" + std::to_string(n) + " repeat " +
                                                std::to_string(rep + 1) + "/" + std::to_string(c.repeat));
                RunResult r = run_point(c, rc, progress);
                if (runs_csv != nullptr) *runs_csv << csv_row(r) << std::flush << '\n';
                by_side[s][n].push_back(r);
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
    RunsByClients by_side[2];
    const std::vector<RunResult> all = run_all(c, by_side, runs_csv.is_open() ? &runs_csv : nullptr);
    const auto failures = std::count_if(all.begin(), all.end(), [](const RunResult& r) { return !r.correct; });

    const std::string& la = c.a.label;
    const std::string& lb = c.b.label;
    out << "\n"
        << c.title << " (medians of " << c.repeat << " interleaved runs; A = " << la << ", B = " << lb
        << "; ratio: median [min..max] of the per-pair ratios)\n"
        << table_header(la, lb);
    std::vector<PlotPoint> points;
    std::ofstream summary_csv;
    if (!c.out_dir.empty()) summary_csv.open(c.out_dir + "/summary.csv");
    summary_csv << summary_csv_header();
    std::string summary_json = "[";
    for (const std::uint32_t n : c.clients) {
        const PointSummary point = summarize_point(n, by_side[0][n], by_side[1][n], la, lb);
        out << table_row(point);
        points.push_back(plot_point(point));
        for (int s = 0; s < 2; ++s) {
            summary_csv << summary_csv_row(point, s);
            summary_json += (summary_json.size() > 1 ? ",\n " : "\n ") + summary_json_entry(point, s);
        }
    }
    out << "CPU source: " << (all.empty() ? "" : all.front().cpu_source)
        << (all.empty() || all.front().memory_source.empty() ? "" : "; memory: PSS sum + " + all.front().memory_source)
        << "\n";
    // What the numbers mean at this stage, from the stage table.
    if (c.a.stage >= 0) {
        out << "\n" << fold(papaya::stages.at(static_cast<std::size_t>(c.a.stage)).compare_explain, 100);
    }
    if (!c.out_dir.empty()) {
        write_run_files(c.out_dir, all, summary_json);
        // The table is committed with the results: name the directory relative to the repository.
        const std::string where = recorded_path(c.out_dir);
        if (c.plots) {
            const std::string why = render_plots(c.out_dir, c.title, la, lb, points);
            out << (why.empty() ? "plots: " + where + "/{cpu_percent,cpu_cv,cpu_per_delivery,p99_latency}.{png,svg}"
                                : why)
                << "\n";
        }
        out << "data: " << where << "/{runs,summary}.{csv,json}\n";
    }
    if (failures) {
        out << "!!!!!!!! " << failures << " run(s) INCORRECT (loss, duplicates, reordering or failure): see above\n";
    }
    return failures ? 1 : 0;
}

} // namespace bench
