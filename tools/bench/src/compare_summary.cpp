#include "compare_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>

#include "csv.hpp"
#include "papaya/process/json.hpp"
#include "report.hpp"
#include "statistics.hpp"

namespace bench {

namespace {

using Field = std::function<double(const RunResult&)>;

std::vector<double> values(const std::vector<RunResult>& runs, const Field& field)
{
    std::vector<double> out;
    for (const auto& r : runs) out.push_back(field(r));
    return out;
}

Spread spread(const std::vector<double>& v)
{
    if (v.empty()) return {};
    return {median(v), *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

double median_of(const std::vector<RunResult>& runs, const Field& field) { return median(values(runs, field)); }

// Ratios of A's run in repeat i to B's run in repeat i (a server's runs at a count are
// in the order they ran, one per repeat): one ratio per interleaved pair, over the pairs
// where both runs count (@p a_counts, @p b_counts: which runs the medians use).
Spread ratios(const std::vector<RunResult>& a, const std::vector<bool>& a_counts, const std::vector<RunResult>& b,
              const std::vector<bool>& b_counts, const Field& field)
{
    std::vector<double> out;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        if (!a_counts[i] || !b_counts[i]) continue;
        const double below = field(b[i]);
        if (below != 0) out.push_back(field(a[i]) / below);
    }
    // No pair (the reference never ran, or failed): no ratio, rather than a ratio of 0.
    if (out.empty()) return {std::nan(""), std::nan(""), std::nan("")};
    return spread(out);
}

// Which runs the medians use: the valid ones when there are any; invalid ones only
// stand in (flagged in the notes) when a point has no valid run at all, and runs
// that failed to set up (nothing measured) only when every run failed.
std::vector<bool> counted_runs(const std::vector<RunResult>& runs)
{
    const auto only = [&runs](bool RunResult::*flag) {
        std::vector<bool> kept;
        for (const auto& r : runs) kept.push_back(r.*flag);
        return kept;
    };
    const auto any = [](const std::vector<bool>& v) { return std::find(v.begin(), v.end(), true) != v.end(); };
    if (auto valid = only(&RunResult::valid); any(valid)) return valid;
    if (auto completed = only(&RunResult::completed); any(completed)) return completed;
    return std::vector<bool>(runs.size(), true);
}

std::vector<RunResult> select(const std::vector<RunResult>& runs, const std::vector<bool>& counted)
{
    std::vector<RunResult> kept;
    for (std::size_t i = 0; i < runs.size(); ++i)
        if (counted[i]) kept.push_back(runs[i]);
    return kept;
}

SideSummary summarize_side(const std::string& label, const std::vector<RunResult>& raw,
                           const std::vector<RunResult>& runs)
{
    SideSummary s;
    s.label = label;
    s.runs = raw.size();
    const auto count = [&raw](bool RunResult::*flag) {
        const auto counted = std::count_if(raw.begin(), raw.end(), [flag](const auto& r) { return r.*flag; });
        return static_cast<std::size_t>(counted);
    };
    s.valid_runs = count(&RunResult::valid);
    s.correct_runs = count(&RunResult::correct);
    s.failed_runs = s.runs - count(&RunResult::completed);
    const auto failed = std::find_if(raw.begin(), raw.end(), [](const RunResult& r) { return !r.completed; });
    if (failed != raw.end()) s.failure = failed->errors;
    const auto invalid = std::find_if(raw.begin(), raw.end(),
                                      [](const RunResult& r) { return r.completed && !r.valid; });
    if (invalid != raw.end()) s.invalid_reason = invalid->invalid_reason;
    s.cpu = spread(values(runs, [](const RunResult& r) { return r.cpu.mean; }));
    s.cv = spread(values(runs, [](const RunResult& r) { return r.cpu.cv; }));
    s.us_per_delivery = median_of(runs, [](const RunResult& r) { return r.cpu_us_per_delivery; });
    s.deliveries_per_s = median_of(runs, [](const RunResult& r) { return r.deliveries_per_s; });
    s.p50_us = median_of(runs, [](const RunResult& r) { return r.latency.p50_us; });
    s.p99_us = median_of(runs, [](const RunResult& r) { return r.latency.p99_us; });
    s.fanout_p50_us = median_of(runs, [](const RunResult& r) { return r.fanout.p50_us; });
    s.fanout_p99_us = median_of(runs, [](const RunResult& r) { return r.fanout.p99_us; });
    s.mem_per_client = median_of(runs, [](const RunResult& r) { return r.mem_per_client; });
    s.pss_loaded = median_of(runs, [](const RunResult& r) { return static_cast<double>(r.pss_loaded); });
    s.processes = median_of(runs, [](const RunResult& r) { return static_cast<double>(r.processes); });
    s.threads = median_of(runs, [](const RunResult& r) { return static_cast<double>(r.threads); });
    s.switches_per_delivery = median_of(runs, [](const RunResult& r) {
        return r.deliveries_per_s > 0 ? r.context_switches_per_s / r.deliveries_per_s : 0.0;
    });
    s.generator_cpu = median_of(runs, [](const RunResult& r) { return r.generator_cpu_percent; });
    return s;
}

std::string side_letter(std::size_t side) { return std::string(1, static_cast<char>('A' + side)); }

// printf's %f of NaN differs between libcs: a dash says "not measured" the same everywhere.
std::string fixed(double v, int decimals)
{
    if (std::isnan(v)) return "-";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

std::string json_number(double v) { return std::isnan(v) ? "null" : format_number(v); }
std::string csv_number(double v)
{
    if (std::isnan(v)) return "";
    std::ostringstream out;
    out << v;
    return out.str();
}

} // namespace

PointSummary summarize_point(std::uint32_t clients, const std::vector<std::vector<RunResult>>& runs,
                             const std::vector<std::string>& labels, double floor_us)
{
    PointSummary p;
    p.clients = clients;
    p.floor_us = floor_us;
    std::vector<std::vector<bool>> counted;
    for (const auto& side : runs) counted.push_back(counted_runs(side));
    const auto& reference = runs.back();
    const auto& reference_counted = counted.back();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        SideSummary side = summarize_side(labels.at(i), runs[i], select(runs[i], counted[i]));
        side.cpu_ratio = ratios(runs[i], counted[i], reference, reference_counted,
                                [](const RunResult& r) { return r.cpu.mean; });
        side.us_per_delivery_ratio = ratios(runs[i], counted[i], reference, reference_counted,
                                            [](const RunResult& r) { return r.cpu_us_per_delivery; });
        if (floor_us > 0) side.floor_multiple = side.us_per_delivery / floor_us;
        if (side.no_valid_run())
            p.notes += side.label + ": no valid run (" + side.invalid_reason + "): not a server result; ";
        else if (side.valid_runs + side.failed_runs < side.runs) // a failed run is counted as FAILED only
            p.notes += side.label + ": " + std::to_string(side.runs - side.valid_runs - side.failed_runs) +
                       " invalid; ";
        if (side.failed_runs > 0)
            p.notes += side.label + ": " + std::to_string(side.failed_runs) + " FAILED (" + side.failure + "); ";
        if (side.correct_runs + side.failed_runs < side.runs)
            p.notes += side.label + ": " + std::to_string(side.runs - side.correct_runs - side.failed_runs) +
                       " INCORRECT; ";
        p.sides.push_back(std::move(side));
    }
    return p;
}

std::string table_header(const std::string& reference_label)
{
    char line[512];
    std::snprintf(line, sizeof line, "%7s | %-22s | %8s %6s | %8s %17s %7s | %8s %8s %8s | %8s %7s %6s %6s | %s\n", "",
                  "", "", "", "", ("/ " + reference_label.substr(0, 15)).c_str(), "", "", "", "fan-out", "", "", "", "",
                  "");
    std::string header = line;
    std::snprintf(line, sizeof line, "%7s | %-22s | %8s %6s | %8s %17s %7s | %8s %8s %8s | %8s %7s %6s %6s | %s\n",
                  "clients", "server", "CPU %", "CV", "us/del", "med [min..max]", "x floor", "p50 us", "p99 us",
                  "p99 us", "KiB/cl", "cs/del", "procs", "thr", "notes");
    return header + line;
}

std::string table_rows(const PointSummary& p)
{
    std::string rows;
    char line[512];
    for (std::size_t i = 0; i < p.sides.size(); ++i) {
        const auto& s = p.sides[i];
        // The notes (of any length) end the point's last row: appended, never cut to the buffer.
        const std::string notes = (i + 1 == p.sides.size() ? p.notes : std::string()) + "\n";
        if (s.runs == 0 || s.failed_runs == s.runs) { // nothing measured: say why instead of zeros
            std::snprintf(line, sizeof line, "%7u | %-22s | %-93s | ", p.clients, s.label.substr(0, 22).c_str(),
                          s.runs == 0 ? "not run: stopped earlier" : "FAILED: no run could be set up");
            rows += line + notes;
            continue;
        }
        const std::string ratio = fixed(s.us_per_delivery_ratio.median, 2) + " [" +
                                  fixed(s.us_per_delivery_ratio.min, 2) + ".." + fixed(s.us_per_delivery_ratio.max, 2) +
                                  "]";
        std::snprintf(line, sizeof line,
                      "%7u | %-22s | %8.2f %6.3f | %8.2f %17s %7s | %8.0f %8.0f %8.0f | %8.1f %7.3f %6.0f %6.0f | ",
                      p.clients, s.label.substr(0, 22).c_str(), s.cpu.median, s.cv.median, s.us_per_delivery,
                      i + 1 == p.sides.size() ? "1" : ratio.c_str(), fixed(s.floor_multiple, 2).c_str(), s.p50_us,
                      s.p99_us, s.fanout_p99_us, s.mem_per_client / 1024.0, s.switches_per_delivery, s.processes,
                      s.threads);
        rows += line + notes;
    }
    if (!std::isnan(p.floor_us)) {
        std::snprintf(line, sizeof line, "%7u | %-22s | %8s %6s | %8.2f %17s %7s |\n", p.clients, "floor (kernel)", "",
                      "", p.floor_us, "", "1");
        rows += line;
    }
    return rows;
}

std::string summary_csv_header()
{
    return "clients,side,label,runs,valid_runs,correct_runs,failed_runs,no_valid_run,cpu_mean_pct,cpu_mean_min,cpu_"
           "mean_max,"
           "cpu_cv,cpu_cv_min,cpu_cv_max,cpu_us_per_delivery,deliveries_per_s,lat_p50_us,lat_p99_us,fanout_p50_us,"
           "fanout_p99_us,mem_per_client_bytes,pss_loaded_bytes,processes,threads,context_switches_per_delivery,"
           "generator_cpu_pct,ratio_cpu_median,ratio_cpu_min,ratio_cpu_max,ratio_us_per_delivery_median,"
           "ratio_us_per_delivery_min,ratio_us_per_delivery_max,floor_us_per_delivery,floor_multiple\n";
}

std::string summary_csv_row(const PointSummary& p, std::size_t side)
{
    const auto& s = p.sides.at(side);
    std::ostringstream row;
    row << p.clients << ',' << side_letter(side) << ',' << csv_field(s.label) << ',' << s.runs << ',' << s.valid_runs
        << ',' << s.correct_runs << ',' << s.failed_runs << ',' << (s.no_valid_run() ? 1 : 0) << ',' << s.cpu.median
        << ',' << s.cpu.min << ',' << s.cpu.max << ',' << s.cv.median << ',' << s.cv.min << ',' << s.cv.max << ','
        << s.us_per_delivery << ',' << s.deliveries_per_s << ',' << s.p50_us << ',' << s.p99_us << ','
        << s.fanout_p50_us << ',' << s.fanout_p99_us << ',' << s.mem_per_client << ',' << s.pss_loaded << ','
        << s.processes << ',' << s.threads << ',' << s.switches_per_delivery << ',' << s.generator_cpu << ','
        << csv_number(s.cpu_ratio.median) << ',' << csv_number(s.cpu_ratio.min) << ',' << csv_number(s.cpu_ratio.max)
        << ',' << csv_number(s.us_per_delivery_ratio.median) << ',' << csv_number(s.us_per_delivery_ratio.min) << ','
        << csv_number(s.us_per_delivery_ratio.max) << ',' << csv_number(p.floor_us) << ','
        << csv_number(s.floor_multiple) << '\n';
    return row.str();
}

std::string summary_json_entry(const PointSummary& p, std::size_t side)
{
    const auto& s = p.sides.at(side);
    return "{\"clients\": " + std::to_string(p.clients) + ", \"side\": \"" + side_letter(side) +
           "\", \"label\": " + papaya::process::json_string(s.label) + ", \"runs\": " + std::to_string(s.runs) +
           ", \"valid_runs\": " + std::to_string(s.valid_runs) +
           ", \"correct_runs\": " + std::to_string(s.correct_runs) +
           ", \"failed_runs\": " + std::to_string(s.failed_runs) +
           ", \"failure\": " + papaya::process::json_string(s.failure) +
           ", \"stopped\": " + papaya::process::json_string(s.stopped) +
           ", \"no_valid_run\": " + (s.no_valid_run() ? "true" : "false") +
           ", \"invalid_reason\": " + papaya::process::json_string(s.invalid_reason) +
           ", \"cpu_mean_pct\": " + format_number(s.cpu.median) + ", \"cpu_cv\": " + format_number(s.cv.median) +
           ", \"cpu_us_per_delivery\": " + format_number(s.us_per_delivery) +
           ", \"deliveries_per_s\": " + format_number(s.deliveries_per_s) +
           ", \"lat_p50_us\": " + format_number(s.p50_us) + ", \"lat_p99_us\": " + format_number(s.p99_us) +
           ", \"fanout_p50_us\": " + format_number(s.fanout_p50_us) +
           ", \"fanout_p99_us\": " + format_number(s.fanout_p99_us) +
           ", \"mem_per_client_bytes\": " + format_number(s.mem_per_client) +
           ", \"processes\": " + format_number(s.processes) + ", \"threads\": " + format_number(s.threads) +
           ", \"context_switches_per_delivery\": " + format_number(s.switches_per_delivery) +
           ", \"generator_cpu_pct\": " + format_number(s.generator_cpu) +
           ", \"ratio_cpu_median\": " + json_number(s.cpu_ratio.median) +
           ", \"ratio_us_per_delivery_median\": " + json_number(s.us_per_delivery_ratio.median) +
           ", \"ratio_us_per_delivery_min\": " + json_number(s.us_per_delivery_ratio.min) +
           ", \"ratio_us_per_delivery_max\": " + json_number(s.us_per_delivery_ratio.max) +
           ", \"floor_us_per_delivery\": " + json_number(p.floor_us) +
           ", \"floor_multiple\": " + json_number(s.floor_multiple) + "}";
}

PlotPoint plot_point(const PointSummary& p)
{
    PlotPoint point;
    point.clients = p.clients;
    point.floor_us = p.floor_us;
    for (const auto& side : p.sides) {
        PlotSeries s;
        s.cpu = side.cpu.median;
        s.cpu_lo = side.cpu.min;
        s.cpu_hi = side.cpu.max;
        s.cv = side.cv.median;
        s.cv_lo = side.cv.min;
        s.cv_hi = side.cv.max;
        s.us_per_delivery = side.us_per_delivery;
        s.p99_us = side.p99_us;
        s.mem_kib = side.mem_per_client / 1024.0;
        // Only a server result is drawn: a point whose runs all failed, lost deliveries or were
        // flagged invalid is left out of the plots (the table says what happened there).
        s.measured = side.valid_runs > 0 && side.correct_runs > 0;
        point.sides.push_back(s);
    }
    return point;
}

} // namespace bench
