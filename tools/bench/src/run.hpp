#pragma once
// One measured run: a fresh server in a fresh cgroup and temp dir, the load,
// the samples, and every derived figure.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "delivery_tracker.hpp"
#include "load_generator.hpp"
#include "statistics.hpp"

namespace bench {

enum class Workload { echo, chat, append };
const char* to_string(Workload w) noexcept;
std::optional<Workload> parse_workload(const std::string& name) noexcept;

struct RunConfig {
    std::string label;               ///< "papayad", "goref", ...
    std::vector<std::string> server; ///< argv: executable and extra flags
    int stage = -1;                  ///< passed as --stage when >= 0
    Workload workload = Workload::echo;
    LoadConfig load;
    std::chrono::milliseconds interval{500}; ///< server CPU sampling interval
    bool pin = false;                        ///< server on cpu 0, generator on cpu 1
    /// default: the stage's features.authenticate (without a stage: for every workload but echo)
    std::optional<bool> key;
    bool use_cgroup = true;
    int nice = 0;     ///< priority of server and generator (negative: ahead of others; root only)
    int max_line = 0; ///< passed as --max-line when > 0
};

struct LatencySummary {
    double p50_us = 0, p90_us = 0, p99_us = 0, p999_us = 0, max_us = 0;
    std::uint64_t count = 0;
};

struct RunResult {
    std::string label;
    int stage = -1; ///< the server's --stage (RunConfig::stage), -1: none
    std::string workload;
    std::uint32_t clients = 0;
    std::int64_t started_unix = 0;
    bool valid = true; ///< false: the generator, not the server, was the bottleneck
    std::string invalid_reason;
    bool correct = true; ///< no loss, duplicate, reordering, disconnect or log mismatch
    /// false: the run could not be set up or ended early (the server did not start, refused or dropped
    /// clients during the ramp); errors says why. Such a run is also not correct.
    bool completed = true;
    std::string errors;
    DeliveryCounts counts;
    std::string cpu_source;
    std::string memory_source;
    std::vector<double> cpu_percent; ///< one per sampling interval inside the window
    Summary cpu;                     ///< of cpu_percent
    double window_s = 0;
    double server_cpu_s = 0; ///< server CPU seconds over the sampled window
    double deliveries_per_s = 0;
    double cpu_us_per_delivery = 0;
    LatencySummary latency;
    LatencySummary fanout;
    std::uint64_t pss_idle = 0, pss_loaded = 0;
    std::uint64_t cgmem_idle = 0, cgmem_loaded = 0;
    double mem_per_client = 0; ///< (PSS loaded - PSS idle) / clients, bytes
    std::size_t processes = 0, threads = 0;
    double context_switches_per_s = 0;
    double generator_cpu_percent = 0;
    double generator_wait_percent = 0; ///< of the window, the generator thread runnable but not running
    double system_busy_percent = 0;    ///< whole machine (all cpus, % of one core) over the window
    double other_load_percent = 0;     ///< system busy - server - generator: someone else's load
    double intended_rate = 0, achieved_rate = 0;
    double send_lag_p99_us = 0;
    std::uint64_t max_backlog_bytes = 0;
    std::uint64_t disconnects = 0;
    bool drained = false;
    std::uint64_t log_records = 0, log_missing = 0, log_duplicated = 0;
    bool log_checked = false;
    bool server_stopped_in_time = false;
    int server_exit_status = 0;
    double ramp_s = 0, barrier_s = 0;
};

/// Runs one experiment point. Setup failures (server did not start, refused
/// connections) throw; everything measurable is in the result.
RunResult run_once(const RunConfig& cfg);

} // namespace bench
