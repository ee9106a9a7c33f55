#include "compare.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <unistd.h>

#include "clock.hpp"
#include "file_io.hpp"
#include "proc_parse.hpp"

#include "plots.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "statistics.hpp"

namespace bench {

namespace {

struct Cell {
    std::vector<RunResult> runs;
};

std::vector<double> pick(const std::vector<RunResult>& runs, double RunResult::*field)
{
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.*field);
    return v;
}

template <typename F>
std::vector<double> pick_fn(const std::vector<RunResult>& runs, F&& f)
{
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(f(r));
    return v;
}

double vmin(const std::vector<double>& v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }
double vmax(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

// Ratios of the i-th run of A to the i-th run of B: one ratio per interleaved pair.
std::vector<double> ratios(const std::vector<double>& a, const std::vector<double>& b)
{
    std::vector<double> out;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (b[i] != 0) out.push_back(a[i] / b[i]);
    return out;
}

std::string fmt(const char* f, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

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

} // namespace

int run_compare(const CompareConfig& c, std::ostream& out)
{
    const RunConfig* sides[2] = {&c.a, &c.b};
    std::map<std::uint32_t, Cell> cells[2];
    std::vector<RunResult> all;
    const std::size_t total = c.clients.size() * static_cast<std::size_t>(c.repeat) * 2;
    std::size_t done = 0;
    int failures = 0;
    std::ofstream runs_csv;
    if (!c.out_dir.empty()) {
        std::filesystem::create_directories(c.out_dir);
        runs_csv.open(c.out_dir + "/runs.csv");
        runs_csv << csv_header() << '\n';
    }
    {
        Progress progress(total);
        for (std::uint32_t n : c.clients) {
            for (int rep = 0; rep < c.repeat; ++rep) {
                for (int s = 0; s < 2; ++s) {
                    RunConfig rc = *sides[s];
                    rc.load.clients = n;
                    rc.load.rate = per_client_rate(c, rc, n);
                    progress.update(done, rc.label + " clients=" + std::to_string(n) + " repeat " +
                                              std::to_string(rep + 1) + "/" + std::to_string(c.repeat));
                    RunResult r;
                    for (int attempt = 0;; ++attempt) {
                        if (c.quiet_wait_s > 0) {
                            const double busy = wait_for_quiet(c.quiet_wait_s);
                            if (busy >= 20)
                                progress.note("(machine still " + std::to_string(static_cast<int>(busy)) +
                                              "% busy with other work after waiting)");
                        }
                        try {
                            r = run_once(rc);
                        } catch (const std::exception& e) {
                            r = RunResult{};
                            r.label = rc.label;
                            r.workload = to_string(rc.workload);
                            r.clients = n;
                            r.correct = false;
                            r.valid = false;
                            r.errors = std::string("run failed: ") + e.what();
                        }
                        // Only a run the generator side spoilt is rerun; a wrong one never is.
                        if (r.valid || !r.correct || attempt >= c.retries) break;
                        progress.note("(retry) " + r.label + " clients=" + std::to_string(n) + ": " + r.invalid_reason);
                    }
                    if (!r.correct) {
                        ++failures;
                        progress.note("!!! " + r.label + " clients=" + std::to_string(n) + ": " + r.errors);
                    }
                    if (!r.valid) progress.note("(invalid) " + r.label + " clients=" + std::to_string(n) + ": " + r.invalid_reason);
                    if (runs_csv) runs_csv << csv_row(r) << std::flush << '\n';
                    cells[s][n].runs.push_back(r);
                    all.push_back(r);
                    ++done;
                }
            }
        }
    }

    // --- the table of medians ---
    const std::string la = c.a.label, lb = c.b.label;
    char line[512];
    std::snprintf(line, sizeof line, "%7s | %9s %9s %6s %6s | %13s | %8s %8s %13s | %9s %9s | %8s %8s | %s\n", "clients",
                  (la + " %").substr(0, 9).c_str(), (lb + " %").substr(0, 9).c_str(), "CV A", "CV B", "CPU A/B",
                  "us/del A", "us/del B", "us/del A/B", "p99us A", "p99us B", "KiB/cl A", "KiB/cl B", "notes");
    out << "\n" << c.title << " (medians of " << c.repeat << " interleaved runs; A = " << la << ", B = " << lb
        << "; ratio: median [min..max] of the per-pair ratios)\n"
        << line;
    std::vector<PlotPoint> points;
    std::ofstream summary_csv;
    std::string summary_json = "[";
    if (!c.out_dir.empty()) {
        summary_csv.open(c.out_dir + "/summary.csv");
        summary_csv << "clients,side,label,runs,valid_runs,correct_runs,cpu_mean_pct,cpu_mean_min,cpu_mean_max,cpu_cv,"
                       "cpu_cv_min,cpu_cv_max,cpu_us_per_delivery,deliveries_per_s,lat_p99_us,fanout_p99_us,"
                       "mem_per_client_bytes,pss_loaded_bytes,processes,threads,generator_cpu_pct,"
                       "ratio_cpu_median,ratio_cpu_min,ratio_cpu_max,ratio_us_per_delivery_median,"
                       "ratio_us_per_delivery_min,ratio_us_per_delivery_max\n";
    }
    for (std::uint32_t n : c.clients) {
        const auto& ra = cells[0][n].runs;
        const auto& rb = cells[1][n].runs;
        PlotPoint p;
        p.clients = n;
        std::string notes;
        // Medians over the valid runs when there are any; invalid ones only stand in
        // (flagged in the notes) when a point has no valid run at all.
        auto usable = [](const std::vector<RunResult>& runs) {
            std::vector<RunResult> v;
            for (const auto& r : runs)
                if (r.valid) v.push_back(r);
            return v.empty() ? runs : v;
        };
        const std::vector<RunResult> va = usable(ra), vb = usable(rb);
        const std::vector<RunResult>* rs[2] = {&va, &vb};
        for (int s = 0; s < 2; ++s) {
            const auto cpu = pick_fn(*rs[s], [](const RunResult& r) { return r.cpu.mean; });
            const auto cv = pick_fn(*rs[s], [](const RunResult& r) { return r.cpu.cv; });
            p.cpu[s] = median(cpu);
            p.cpu_lo[s] = vmin(cpu);
            p.cpu_hi[s] = vmax(cpu);
            p.cv[s] = median(cv);
            p.cv_lo[s] = vmin(cv);
            p.cv_hi[s] = vmax(cv);
            p.us_per_delivery[s] = median(pick(*rs[s], &RunResult::cpu_us_per_delivery));
            p.p99_us[s] = median(pick_fn(*rs[s], [](const RunResult& r) { return r.latency.p99_us; }));
            p.mem_kib[s] = median(pick(*rs[s], &RunResult::mem_per_client)) / 1024.0;
            const auto& raw = s ? rb : ra;
            const auto invalid = std::count_if(raw.begin(), raw.end(), [](const RunResult& r) { return !r.valid; });
            const auto wrong = std::count_if(raw.begin(), raw.end(), [](const RunResult& r) { return !r.correct; });
            if (invalid) notes += std::string(s ? "B" : "A") + ": " + std::to_string(invalid) + " invalid ";
            if (wrong) notes += std::string(s ? "B" : "A") + ": " + std::to_string(wrong) + " INCORRECT ";
        }
        const auto cpu_r = ratios(pick_fn(va, [](const RunResult& r) { return r.cpu.mean; }),
                                  pick_fn(vb, [](const RunResult& r) { return r.cpu.mean; }));
        const auto us_r = ratios(pick(va, &RunResult::cpu_us_per_delivery), pick(vb, &RunResult::cpu_us_per_delivery));
        std::snprintf(line, sizeof line,
                      "%7u | %9.2f %9.2f %6.3f %6.3f | %4.2f [%3.2f..%3.2f] | %8.2f %8.2f %4.2f [%3.2f..%3.2f] | %9.0f %9.0f | %8.1f %8.1f | %s\n",
                      n, p.cpu[0], p.cpu[1], p.cv[0], p.cv[1], median(cpu_r), vmin(cpu_r), vmax(cpu_r),
                      p.us_per_delivery[0], p.us_per_delivery[1], median(us_r), vmin(us_r), vmax(us_r), p.p99_us[0],
                      p.p99_us[1], p.mem_kib[0], p.mem_kib[1], notes.c_str());
        out << line;
        points.push_back(p);
        for (int s = 0; s < 2; ++s) {
            const auto& runs = *rs[s];
            const auto& raw = s ? rb : ra;
            const auto valid = std::count_if(raw.begin(), raw.end(), [](const RunResult& r) { return r.valid; });
            const auto correct = std::count_if(raw.begin(), raw.end(), [](const RunResult& r) { return r.correct; });
            const double dps = median(pick(runs, &RunResult::deliveries_per_s));
            const double fan99 = median(pick_fn(runs, [](const RunResult& r) { return r.fanout.p99_us; }));
            const double pss = median(pick_fn(runs, [](const RunResult& r) { return static_cast<double>(r.pss_loaded); }));
            const double procs = median(pick_fn(runs, [](const RunResult& r) { return static_cast<double>(r.processes); }));
            const double threads = median(pick_fn(runs, [](const RunResult& r) { return static_cast<double>(r.threads); }));
            const double gen = median(pick(runs, &RunResult::generator_cpu_percent));
            const std::string label = s ? lb : la;
            if (summary_csv) {
                summary_csv << n << ',' << (s ? "B" : "A") << ',' << label << ',' << raw.size() << ',' << valid << ','
                            << correct << ',' << p.cpu[s] << ',' << p.cpu_lo[s] << ',' << p.cpu_hi[s] << ',' << p.cv[s]
                            << ',' << p.cv_lo[s] << ',' << p.cv_hi[s] << ',' << p.us_per_delivery[s] << ',' << dps << ','
                            << p.p99_us[s] << ',' << fan99 << ',' << p.mem_kib[s] * 1024.0 << ',' << pss << ','
                            << procs << ',' << threads << ',' << gen << ',' << median(cpu_r) << ',' << vmin(cpu_r)
                            << ',' << vmax(cpu_r) << ',' << median(us_r) << ',' << vmin(us_r) << ',' << vmax(us_r)
                            << '\n';
            }
            summary_json += std::string(summary_json.size() > 1 ? ",\n " : "\n ") + "{\"clients\": " +
                            std::to_string(n) + ", \"side\": \"" + (s ? "B" : "A") + "\", \"label\": " +
                            json_string(label) + ", \"runs\": " + std::to_string(raw.size()) +
                            ", \"valid_runs\": " + std::to_string(valid) + ", \"correct_runs\": " +
                            std::to_string(correct) + ", \"cpu_mean_pct\": " + fmt("%.6g", p.cpu[s]) +
                            ", \"cpu_cv\": " + fmt("%.6g", p.cv[s]) + ", \"cpu_us_per_delivery\": " +
                            fmt("%.6g", p.us_per_delivery[s]) + ", \"deliveries_per_s\": " + fmt("%.6g", dps) +
                            ", \"lat_p99_us\": " + fmt("%.6g", p.p99_us[s]) + ", \"fanout_p99_us\": " +
                            fmt("%.6g", fan99) + ", \"mem_per_client_bytes\": " + fmt("%.6g", p.mem_kib[s] * 1024.0) +
                            ", \"generator_cpu_pct\": " + fmt("%.6g", gen) + ", \"ratio_cpu_median\": " +
                            fmt("%.6g", median(cpu_r)) + ", \"ratio_us_per_delivery_median\": " +
                            fmt("%.6g", median(us_r)) + "}";
        }
    }
    out << "CPU source: " << (all.empty() ? "" : all.front().cpu_source)
        << (all.empty() || all.front().memory_source.empty() ? "" : "; memory: PSS sum + " + all.front().memory_source)
        << "\n";
    if (!c.out_dir.empty()) {
        std::ofstream(c.out_dir + "/summary.json") << summary_json << "\n]\n";
        std::ofstream runs_json(c.out_dir + "/runs.json");
        runs_json << "[\n";
        for (std::size_t i = 0; i < all.size(); ++i) runs_json << (i ? ",\n" : "") << json_of(all[i]);
        runs_json << "\n]\n";
        if (c.plots) {
            const std::string why = render_plots(c.out_dir, c.title, la, lb, points);
            out << (why.empty() ? "plots: " + c.out_dir + "/{cpu_percent,cpu_cv,cpu_per_delivery,p99_latency}.{png,svg}" : why)
                << "\n";
        }
        out << "data: " << c.out_dir << "/{runs,summary}.{csv,json}\n";
    }
    if (failures) out << "!!!!!!!! " << failures << " run(s) INCORRECT (loss, duplicates, reordering or failure): see above\n";
    return failures ? 1 : 0;
}

} // namespace bench
