#include "report.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "csv.hpp"
#include "papaya/process/json.hpp"

namespace bench {

std::string format_number(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

namespace {

std::string mib(std::uint64_t bytes) { return format_number(static_cast<double>(bytes) / (1024.0 * 1024.0)); }

// The columns, in one table, so the CSV header, the rows, the JSON keys and the
// reading back of runs.csv agree. @p r is a RunResult or a const one; @p f gets
// each column's name and a reference to the member it holds.
template <typename Result, typename F>
void for_each_field(Result& r, F&& f)
{
    f("label", r.label);
    f("workload", r.workload);
    f("clients", r.clients);
    f("started_unix", r.started_unix);
    f("valid", r.valid);
    f("invalid_reason", r.invalid_reason);
    f("correct", r.correct);
    f("errors", r.errors);
    f("sent", r.counts.sent);
    f("expected", r.counts.expected);
    f("delivered", r.counts.delivered);
    f("lost", r.counts.lost);
    f("duplicated", r.counts.duplicated);
    f("out_of_order", r.counts.out_of_order);
    f("disconnects", r.disconnects);
    f("log_records", r.log_records);
    f("log_missing", r.log_missing);
    f("log_duplicated", r.log_duplicated);
    f("cpu_source", r.cpu_source);
    f("memory_source", r.memory_source);
    f("cpu_samples", r.cpu.n);
    f("cpu_mean_pct", r.cpu.mean);
    f("cpu_stddev_pct", r.cpu.stddev);
    f("cpu_cv", r.cpu.cv);
    f("window_s", r.window_s);
    f("server_cpu_s", r.server_cpu_s);
    f("deliveries_per_s", r.deliveries_per_s);
    f("cpu_us_per_delivery", r.cpu_us_per_delivery);
    f("lat_p50_us", r.latency.p50_us);
    f("lat_p90_us", r.latency.p90_us);
    f("lat_p99_us", r.latency.p99_us);
    f("lat_p999_us", r.latency.p999_us);
    f("lat_max_us", r.latency.max_us);
    f("fanout_p50_us", r.fanout.p50_us);
    f("fanout_p99_us", r.fanout.p99_us);
    f("fanout_max_us", r.fanout.max_us);
    f("pss_idle_bytes", r.pss_idle);
    f("pss_loaded_bytes", r.pss_loaded);
    f("cgroup_mem_idle_bytes", r.cgmem_idle);
    f("cgroup_mem_loaded_bytes", r.cgmem_loaded);
    f("mem_per_client_bytes", r.mem_per_client);
    f("processes", r.processes);
    f("threads", r.threads);
    f("ctx_switches_per_s", r.context_switches_per_s);
    f("generator_cpu_pct", r.generator_cpu_percent);
    f("generator_wait_pct", r.generator_wait_percent);
    f("system_busy_pct", r.system_busy_percent);
    f("other_load_pct", r.other_load_percent);
    f("intended_rate", r.intended_rate);
    f("achieved_rate", r.achieved_rate);
    f("send_lag_p99_us", r.send_lag_p99_us);
    f("max_backlog_bytes", r.max_backlog_bytes);
    f("ramp_s", r.ramp_s);
    f("barrier_s", r.barrier_s);
    f("server_stopped_in_time", r.server_stopped_in_time);
    // Added after the first committed results: read_runs_csv takes files without them.
    f("completed", r.completed);
    f("stage", r.stage);
}

// A member as its column's text, and whether JSON quotes it.
std::string text_of(const std::string& v) { return v; }
std::string text_of(bool v) { return v ? "true" : "false"; }
std::string text_of(double v) { return format_number(v); }
template <typename Int>
std::enable_if_t<std::is_integral_v<Int>, std::string> text_of(Int v)
{
    return std::to_string(v);
}
template <typename T>
constexpr bool json_quoted = std::is_same_v<T, std::string>;

// A column's text into its member; false when the text is not of the member's type.
bool parse_into(const std::string& text, std::string& v)
{
    v = text;
    return true;
}
bool parse_into(const std::string& text, bool& v)
{
    if (text != "true" && text != "false") return false;
    v = text == "true";
    return true;
}
bool parse_into(const std::string& text, double& v)
{
    if (text == "nan" || text == "-nan") { // what %.6g writes for a NaN
        v = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    const char* begin = text.c_str();
    char* end = nullptr;
    v = std::strtod(begin, &end);
    return !text.empty() && end == begin + text.size();
}
template <typename Int>
std::enable_if_t<std::is_integral_v<Int>, bool> parse_into(const std::string& text, Int& v)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

} // namespace

std::string csv_header()
{
    std::string out;
    const RunResult none;
    for_each_field(none, [&](const char* name, const auto&) { out += (out.empty() ? "" : ",") + std::string(name); });
    return out;
}

std::string csv_row(const RunResult& r)
{
    std::string out;
    bool first = true;
    for_each_field(r, [&](const char*, const auto& v) {
        out += (first ? "" : ",") + csv_field(text_of(v));
        first = false;
    });
    return out;
}

std::string json_of(const RunResult& r)
{
    std::string out = "{";
    bool first = true;
    for_each_field(r, [&](const char* name, const auto& v) {
        using papaya::process::json_string;
        const std::string text = text_of(v);
        out += (first ? "" : ", ") + json_string(name) + ": " +
               (json_quoted<std::decay_t<decltype(v)>> ? json_string(text) : text);
        first = false;
    });
    out += ", \"cpu_percent_series\": [";
    for (std::size_t i = 0; i < r.cpu_percent.size(); ++i) out += (i ? ", " : "") + format_number(r.cpu_percent[i]);
    return out + "]}";
}

std::vector<RunResult> read_runs_csv(std::string_view text)
{
    const auto records = parse_csv(text);
    if (records.empty()) throw std::runtime_error("no header line");
    const auto& header = records.front();
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
    for (const char* needed : {"label", "clients", "valid", "correct"})
        if (!column.count(needed))
            throw std::runtime_error(std::string("the header has no column \"") + needed + "\": not a runs.csv");
    std::vector<RunResult> runs;
    for (std::size_t row = 1; row < records.size(); ++row) {
        const auto& fields = records[row];
        if (fields.size() != header.size())
            throw std::runtime_error("run " + std::to_string(row) + " has " + std::to_string(fields.size()) +
                                     " fields, the header " + std::to_string(header.size()));
        RunResult r;
        for_each_field(r, [&](const char* name, auto& member) {
            const auto at = column.find(name);
            if (at == column.end()) return; // a column older files lack: the default
            if (!parse_into(fields[at->second], member))
                throw std::runtime_error("run " + std::to_string(row) + ", column " + name + ": \"" +
                                         fields[at->second] + "\" is not a value of this column");
        });
        // Files from before the column: a run that could not be set up said so in its errors.
        if (!column.count("completed")) r.completed = r.errors.rfind(failed_run_prefix, 0) != 0;
        runs.push_back(std::move(r));
    }
    return runs;
}

void print_run(const RunResult& r, std::ostream& out)
{
    const auto& c = r.counts;
    out << r.label << " " << r.workload << " clients=" << r.clients << "\n";
    out << "  correctness: sent " << c.sent << ", deliveries " << c.delivered << " of " << c.expected << ", lost "
        << c.lost << ", duplicated " << c.duplicated << ", out of order " << c.out_of_order << ", disconnects "
        << r.disconnects;
    if (r.log_checked) {
        out << "; chat log: " << r.log_records << " records, missing " << r.log_missing << ", duplicated "
            << r.log_duplicated;
    }
    out << "\n";
    if (!r.correct) out << "  !!!!!!!! INCORRECT: " << r.errors << " !!!!!!!!\n";
    out << "  server CPU (" << r.cpu_source << "): mean " << format_number(r.cpu.mean) << "%, stddev "
        << format_number(r.cpu.stddev) << ", CV " << format_number(r.cpu.cv) << " over " << r.cpu.n << " samples ("
        << format_number(r.window_s) << " s)\n";
    out << "  deliveries/s " << format_number(r.deliveries_per_s) << ", server CPU per delivery "
        << format_number(r.cpu_us_per_delivery) << " us\n";
    out << "  latency us: p50 " << format_number(r.latency.p50_us) << " p90 " << format_number(r.latency.p90_us)
        << " p99 " << format_number(r.latency.p99_us) << " p99.9 " << format_number(r.latency.p999_us) << " max "
        << format_number(r.latency.max_us) << " (n=" << r.latency.count << ")\n";
    if (r.workload == "chat")
        out << "  fan-out completion us: p50 " << format_number(r.fanout.p50_us) << " p99 "
            << format_number(r.fanout.p99_us) << " max " << format_number(r.fanout.max_us) << "\n";
    out << "  memory: PSS " << mib(r.pss_idle) << " MiB idle -> " << mib(r.pss_loaded) << " MiB loaded ("
        << format_number(r.mem_per_client / 1024.0) << " KiB/client)";
    if (!r.memory_source.empty())
        out << "; " << r.memory_source << " " << mib(r.cgmem_idle) << " -> " << mib(r.cgmem_loaded) << " MiB";
    out << "\n  processes " << r.processes << ", threads " << r.threads << ", context switches/s "
        << format_number(r.context_switches_per_s) << "\n";
    out << "  generator: CPU " << format_number(r.generator_cpu_percent) << "% (runnable, waiting "
        << format_number(r.generator_wait_percent) << "%), rate " << format_number(r.achieved_rate) << "/"
        << format_number(r.intended_rate) << " msg/s, send lag p99 " << format_number(r.send_lag_p99_us)
        << " us, max backlog " << r.max_backlog_bytes << " B; machine busy " << format_number(r.system_busy_percent)
        << "% (others " << format_number(r.other_load_percent) << "%), ramp " << format_number(r.ramp_s)
        << " s, barrier " << format_number(r.barrier_s) << " s\n";
    if (!r.valid) out << "  INVALID RUN (generator-bound): " << r.invalid_reason << "\n";
}

} // namespace bench
