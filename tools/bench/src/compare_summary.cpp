#include "compare_summary.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <sstream>

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

// Ratios of the i-th run of A to the i-th run of B: one ratio per interleaved pair.
Spread ratios(const std::vector<RunResult>& a, const std::vector<RunResult>& b, const Field& field)
{
    std::vector<double> out;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        const double below = field(b[i]);
        if (below != 0) out.push_back(field(a[i]) / below);
    }
    return spread(out);
}

// Medians over the valid runs when there are any; invalid ones only stand in
// (flagged in the notes) when a point has no valid run at all.
std::vector<RunResult> usable(const std::vector<RunResult>& runs)
{
    std::vector<RunResult> valid;
    std::copy_if(runs.begin(), runs.end(), std::back_inserter(valid), [](const RunResult& r) { return r.valid; });
    return valid.empty() ? runs : valid;
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
    s.cpu = spread(values(runs, [](const RunResult& r) { return r.cpu.mean; }));
    s.cv = spread(values(runs, [](const RunResult& r) { return r.cpu.cv; }));
    s.us_per_delivery = median_of(runs, [](const RunResult& r) { return r.cpu_us_per_delivery; });
    s.deliveries_per_s = median_of(runs, [](const RunResult& r) { return r.deliveries_per_s; });
    s.p99_us = median_of(runs, [](const RunResult& r) { return r.latency.p99_us; });
    s.fanout_p99_us = median_of(runs, [](const RunResult& r) { return r.fanout.p99_us; });
    s.mem_per_client = median_of(runs, [](const RunResult& r) { return r.mem_per_client; });
    s.pss_loaded = median_of(runs, [](const RunResult& r) { return static_cast<double>(r.pss_loaded); });
    s.processes = median_of(runs, [](const RunResult& r) { return static_cast<double>(r.processes); });
    s.threads = median_of(runs, [](const RunResult& r) { return static_cast<double>(r.threads); });
    s.generator_cpu = median_of(runs, [](const RunResult& r) { return r.generator_cpu_percent; });
    return s;
}

const char* side_name(int side) { return side == 0 ? "A" : "B"; }

} // namespace

PointSummary summarize_point(std::uint32_t clients, const std::vector<RunResult>& a, const std::vector<RunResult>& b,
                             const std::string& label_a, const std::string& label_b)
{
    PointSummary p;
    p.clients = clients;
    const std::vector<RunResult> usable_a = usable(a);
    const std::vector<RunResult> usable_b = usable(b);
    p.side[0] = summarize_side(label_a, a, usable_a);
    p.side[1] = summarize_side(label_b, b, usable_b);
    p.cpu_ratio = ratios(usable_a, usable_b, [](const RunResult& r) { return r.cpu.mean; });
    p.us_per_delivery_ratio = ratios(usable_a, usable_b, [](const RunResult& r) { return r.cpu_us_per_delivery; });
    for (int s = 0; s < 2; ++s) {
        const auto& side = p.side[s];
        if (side.valid_runs < side.runs)
            p.notes += std::string(side_name(s)) + ": " + std::to_string(side.runs - side.valid_runs) + " invalid ";
        if (side.correct_runs < side.runs)
            p.notes += std::string(side_name(s)) + ": " + std::to_string(side.runs - side.correct_runs) + " INCORRECT ";
    }
    return p;
}

std::string table_header(const std::string& label_a, const std::string& label_b)
{
    char line[512];
    std::snprintf(line, sizeof line, "%7s | %9s %9s %6s %6s | %13s | %8s %8s %13s | %9s %9s | %8s %8s | %s\n",
                  "clients", (label_a + " %").substr(0, 9).c_str(), (label_b + " %").substr(0, 9).c_str(), "CV A",
                  "CV B", "CPU A/B", "us/del A", "us/del B", "us/del A/B", "p99us A", "p99us B", "KiB/cl A", "KiB/cl B",
                  "notes");
    return line;
}

std::string table_row(const PointSummary& p)
{
    const auto& a = p.side[0];
    const auto& b = p.side[1];
    char line[512];
    std::snprintf(line, sizeof line,
                  "%7u | %9.2f %9.2f %6.3f %6.3f | %4.2f [%3.2f..%3.2f] | %8.2f %8.2f %4.2f [%3.2f..%3.2f] | "
                  "%9.0f %9.0f | %8.1f %8.1f | %s\n",
                  p.clients, a.cpu.median, b.cpu.median, a.cv.median, b.cv.median, p.cpu_ratio.median, p.cpu_ratio.min,
                  p.cpu_ratio.max, a.us_per_delivery, b.us_per_delivery, p.us_per_delivery_ratio.median,
                  p.us_per_delivery_ratio.min, p.us_per_delivery_ratio.max, a.p99_us, b.p99_us,
                  a.mem_per_client / 1024.0, b.mem_per_client / 1024.0, p.notes.c_str());
    return line;
}

std::string summary_csv_header()
{
    return "clients,side,label,runs,valid_runs,correct_runs,cpu_mean_pct,cpu_mean_min,cpu_mean_max,cpu_cv,"
           "cpu_cv_min,cpu_cv_max,cpu_us_per_delivery,deliveries_per_s,lat_p99_us,fanout_p99_us,"
           "mem_per_client_bytes,pss_loaded_bytes,processes,threads,generator_cpu_pct,"
           "ratio_cpu_median,ratio_cpu_min,ratio_cpu_max,ratio_us_per_delivery_median,"
           "ratio_us_per_delivery_min,ratio_us_per_delivery_max\n";
}

std::string summary_csv_row(const PointSummary& p, int side)
{
    const auto& s = p.side[side];
    std::ostringstream row;
    row << p.clients << ',' << side_name(side) << ',' << s.label << ',' << s.runs << ',' << s.valid_runs << ','
        << s.correct_runs << ',' << s.cpu.median << ',' << s.cpu.min << ',' << s.cpu.max << ',' << s.cv.median << ','
        << s.cv.min << ',' << s.cv.max << ',' << s.us_per_delivery << ',' << s.deliveries_per_s << ',' << s.p99_us
        << ',' << s.fanout_p99_us << ',' << s.mem_per_client << ',' << s.pss_loaded << ',' << s.processes << ','
        << s.threads << ',' << s.generator_cpu << ',' << p.cpu_ratio.median << ',' << p.cpu_ratio.min << ','
        << p.cpu_ratio.max << ',' << p.us_per_delivery_ratio.median << ',' << p.us_per_delivery_ratio.min << ','
        << p.us_per_delivery_ratio.max << '\n';
    return row.str();
}

std::string summary_json_entry(const PointSummary& p, int side)
{
    const auto& s = p.side[side];
    return "{\"clients\": " + std::to_string(p.clients) + ", \"side\": \"" + side_name(side) +
           "\", \"label\": " + papaya::process::json_string(s.label) + ", \"runs\": " + std::to_string(s.runs) +
           ", \"valid_runs\": " + std::to_string(s.valid_runs) +
           ", \"correct_runs\": " + std::to_string(s.correct_runs) +
           ", \"cpu_mean_pct\": " + format_number(s.cpu.median) + ", \"cpu_cv\": " + format_number(s.cv.median) +
           ", \"cpu_us_per_delivery\": " + format_number(s.us_per_delivery) +
           ", \"deliveries_per_s\": " + format_number(s.deliveries_per_s) +
           ", \"lat_p99_us\": " + format_number(s.p99_us) + ", \"fanout_p99_us\": " + format_number(s.fanout_p99_us) +
           ", \"mem_per_client_bytes\": " + format_number(s.mem_per_client) +
           ", \"generator_cpu_pct\": " + format_number(s.generator_cpu) +
           ", \"ratio_cpu_median\": " + format_number(p.cpu_ratio.median) +
           ", \"ratio_us_per_delivery_median\": " + format_number(p.us_per_delivery_ratio.median) + "}";
}

PlotPoint plot_point(const PointSummary& p)
{
    PlotPoint point;
    point.clients = p.clients;
    for (int s = 0; s < 2; ++s) {
        const auto& side = p.side[s];
        point.cpu[s] = side.cpu.median;
        point.cpu_lo[s] = side.cpu.min;
        point.cpu_hi[s] = side.cpu.max;
        point.cv[s] = side.cv.median;
        point.cv_lo[s] = side.cv.min;
        point.cv_hi[s] = side.cv.max;
        point.us_per_delivery[s] = side.us_per_delivery;
        point.p99_us[s] = side.p99_us;
        point.mem_kib[s] = side.mem_per_client / 1024.0;
    }
    return point;
}

} // namespace bench
