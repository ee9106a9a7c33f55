#pragma once
// Parsers for the text files of /proc and cgroupfs the sampler reads. Pure
// functions of the file's text, so the unit tests feed them captured samples.
// (/proc/PID/stat and schedstat: papaya/process/proc.hpp.)
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

/// cgroup v2 cpu.stat: the usage_usec field, in nanoseconds.
std::optional<std::uint64_t> parse_cpu_stat_usage_ns(std::string_view text) noexcept;
/// A file holding one unsigned decimal number (cpuacct.usage, memory.current).
std::optional<std::uint64_t> parse_single_u64(std::string_view text) noexcept;

/// /proc/<pid>/smaps_rollup: the Pss line, in bytes.
std::optional<std::uint64_t> parse_smaps_rollup_pss(std::string_view text) noexcept;

struct StatusFields {
    std::uint64_t threads = 0;
    std::uint64_t voluntary_ctxt = 0;
    std::uint64_t nonvoluntary_ctxt = 0;
};
/// /proc/<pid>/status: Threads, voluntary_ctxt_switches, nonvoluntary_ctxt_switches.
std::optional<StatusFields> parse_status(std::string_view text) noexcept;

/// /proc/stat: busy time of all cpus (user + nice + system + steal; not idle, iowait,
/// irq, softirq), in USER_HZ ticks.
std::optional<std::uint64_t> parse_proc_stat_busy_ticks(std::string_view text) noexcept;

/// /proc/self/cgroup: the path of the v2 hierarchy ("0::/path"), or of the v1
/// hierarchy whose controller list contains @p controller when it is non-empty.
std::optional<std::string> parse_proc_cgroup(std::string_view text, std::string_view controller);

/// /proc/mounts: the mount point of the cgroup2 hierarchy, or of the v1 hierarchy
/// with @p controller among its options when it is non-empty.
std::optional<std::string> parse_cgroup_mount(std::string_view text, std::string_view controller);

} // namespace bench
