#include "compare.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "clock.hpp"
#include "compare_report.hpp"
#include "file_io.hpp"
#include "proc_parse.hpp"
#include "progress.hpp"
#include "report.hpp"

namespace bench {

namespace {

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
    r.stage = rc.stage;
    r.workload = to_string(rc.workload);
    r.clients = rc.load.clients;
    r.correct = false;
    r.completed = false;
    r.valid = false;
    r.errors = std::string(failed_run_prefix) + e.what();
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

/// Every run, the servers interleaved per repeat so drift of the machine hits
/// all alike; each written to @p runs_csv (when given) as soon as it ends.
std::vector<RunResult> run_all(const CompareConfig& c, std::ostream* runs_csv)
{
    std::vector<RunResult> all;
    // Where each server stopped (CompareConfig::stop_at_failure): "" while it runs.
    std::vector<std::string> stops(c.servers.size());
    Progress progress(c.clients.size() * static_cast<std::size_t>(c.repeat) * c.servers.size());
    std::size_t step = 0;
    for (const std::uint32_t n : c.clients) {
        for (int rep = 0; rep < c.repeat; ++rep) {
            for (std::size_t s = 0; s < c.servers.size(); ++s, ++step) {
                if (!stops[s].empty()) continue;
                RunConfig rc = c.servers[s];
                rc.load.clients = n;
                rc.load.rate = per_client_rate(c, rc, n);
                progress.update(step, rc.label + " clients=" + std::to_string(n) + " repeat " +
                                          std::to_string(rep + 1) + "/" + std::to_string(c.repeat));
                RunResult r = run_point(c, rc, progress);
                if (runs_csv != nullptr) *runs_csv << csv_row(r) << '\n' << std::flush;
                if (c.stop_at_failure && !r.correct) {
                    stops[s] = "at " + std::to_string(n) + " clients: " + r.errors;
                    progress.note("(stopped) " + rc.label + " is not run again: " + stops[s]);
                }
                all.push_back(std::move(r));
            }
        }
    }
    return all;
}

} // namespace

int run_compare(const CompareConfig& c, std::ostream& out)
{
    if (c.servers.size() < 2) throw std::invalid_argument("compare needs at least two servers");
    std::ofstream runs_csv;
    if (!c.out_dir.empty()) {
        std::filesystem::create_directories(c.out_dir);
        runs_csv.open(c.out_dir + "/runs.csv");
        runs_csv << csv_header() << '\n';
        if (!runs_csv) throw std::runtime_error("cannot write " + c.out_dir + "/runs.csv");
    }
    CompareRuns report;
    report.runs = run_all(c, runs_csv.is_open() ? &runs_csv : nullptr);
    report.title = c.title;
    for (const auto& rc : c.servers) report.labels.push_back(rc.label);
    report.clients = c.clients;
    report.repeat = c.repeat;
    report.floor_us = c.floor_us;
    if (!c.out_dir.empty()) {
        // Only here: runs.json holds each run's CPU series, which runs.csv (and summarize) lacks.
        std::string runs_json = "[\n";
        for (std::size_t i = 0; i < report.runs.size(); ++i) runs_json += (i ? ",\n" : "") + json_of(report.runs[i]);
        create_file(c.out_dir + "/runs.json", runs_json + "\n]\n");
    }
    return report_compare(report, c.out_dir, c.plots, out) > 0 ? 1 : 0;
}

} // namespace bench
