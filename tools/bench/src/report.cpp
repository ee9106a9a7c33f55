#include "report.hpp"

#include <cstdio>
#include <sstream>

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

// The columns, in one table, so the CSV header, the rows and the JSON keys agree.
template <typename F>
void for_each_field(const RunResult& r, F&& f)
{
    f("label", r.label, true);
    f("workload", r.workload, true);
    f("clients", format_number(r.clients), false);
    f("started_unix", std::to_string(r.started_unix), false);
    f("valid", r.valid ? "true" : "false", false);
    f("invalid_reason", r.invalid_reason, true);
    f("correct", r.correct ? "true" : "false", false);
    f("errors", r.errors, true);
    f("sent", std::to_string(r.counts.sent), false);
    f("expected", std::to_string(r.counts.expected), false);
    f("delivered", std::to_string(r.counts.delivered), false);
    f("lost", std::to_string(r.counts.lost), false);
    f("duplicated", std::to_string(r.counts.duplicated), false);
    f("out_of_order", std::to_string(r.counts.out_of_order), false);
    f("disconnects", std::to_string(r.disconnects), false);
    f("log_records", std::to_string(r.log_records), false);
    f("log_missing", std::to_string(r.log_missing), false);
    f("log_duplicated", std::to_string(r.log_duplicated), false);
    f("cpu_source", r.cpu_source, true);
    f("memory_source", r.memory_source, true);
    f("cpu_samples", std::to_string(r.cpu.n), false);
    f("cpu_mean_pct", format_number(r.cpu.mean), false);
    f("cpu_stddev_pct", format_number(r.cpu.stddev), false);
    f("cpu_cv", format_number(r.cpu.cv), false);
    f("window_s", format_number(r.window_s), false);
    f("server_cpu_s", format_number(r.server_cpu_s), false);
    f("deliveries_per_s", format_number(r.deliveries_per_s), false);
    f("cpu_us_per_delivery", format_number(r.cpu_us_per_delivery), false);
    f("lat_p50_us", format_number(r.latency.p50_us), false);
    f("lat_p90_us", format_number(r.latency.p90_us), false);
    f("lat_p99_us", format_number(r.latency.p99_us), false);
    f("lat_p999_us", format_number(r.latency.p999_us), false);
    f("lat_max_us", format_number(r.latency.max_us), false);
    f("fanout_p50_us", format_number(r.fanout.p50_us), false);
    f("fanout_p99_us", format_number(r.fanout.p99_us), false);
    f("fanout_max_us", format_number(r.fanout.max_us), false);
    f("pss_idle_bytes", std::to_string(r.pss_idle), false);
    f("pss_loaded_bytes", std::to_string(r.pss_loaded), false);
    f("cgroup_mem_idle_bytes", std::to_string(r.cgmem_idle), false);
    f("cgroup_mem_loaded_bytes", std::to_string(r.cgmem_loaded), false);
    f("mem_per_client_bytes", format_number(r.mem_per_client), false);
    f("processes", std::to_string(r.processes), false);
    f("threads", std::to_string(r.threads), false);
    f("ctx_switches_per_s", format_number(r.context_switches_per_s), false);
    f("generator_cpu_pct", format_number(r.generator_cpu_percent), false);
    f("generator_wait_pct", format_number(r.generator_wait_percent), false);
    f("system_busy_pct", format_number(r.system_busy_percent), false);
    f("other_load_pct", format_number(r.other_load_percent), false);
    f("intended_rate", format_number(r.intended_rate), false);
    f("achieved_rate", format_number(r.achieved_rate), false);
    f("send_lag_p99_us", format_number(r.send_lag_p99_us), false);
    f("max_backlog_bytes", std::to_string(r.max_backlog_bytes), false);
    f("ramp_s", format_number(r.ramp_s), false);
    f("barrier_s", format_number(r.barrier_s), false);
    f("server_stopped_in_time", r.server_stopped_in_time ? "true" : "false", false);
}

std::string csv_field(const std::string& s)
{
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace

std::string csv_header()
{
    std::string out;
    for_each_field(RunResult{}, [&](const char* name, const std::string&, bool) {
        out += (out.empty() ? "" : ",") + std::string(name);
    });
    return out;
}

std::string csv_row(const RunResult& r)
{
    std::string out;
    bool first = true;
    for_each_field(r, [&](const char*, const std::string& v, bool) {
        out += (first ? "" : ",") + csv_field(v);
        first = false;
    });
    return out;
}

std::string json_of(const RunResult& r)
{
    std::string out = "{";
    bool first = true;
    for_each_field(r, [&](const char* name, const std::string& v, bool quoted) {
        using papaya::process::json_string;
        out += (first ? "" : ", ") + json_string(name) + ": " + (quoted ? json_string(v) : v);
        first = false;
    });
    out += ", \"cpu_percent_series\": [";
    for (std::size_t i = 0; i < r.cpu_percent.size(); ++i) out += (i ? ", " : "") + format_number(r.cpu_percent[i]);
    return out + "]}";
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
