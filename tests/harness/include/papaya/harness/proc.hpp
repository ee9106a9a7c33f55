#pragma once
/// @file
/// @brief Reading the process table from /proc: parents, states, credentials,
/// and making the test process a child subreaper so that a service's orphans
/// stay its descendants.

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace papaya::harness {

/// One line of /proc/PID/stat, the fields the harness needs.
struct ProcStat {
    pid_t pid = 0;     ///< Process id.
    std::string name;  ///< comm: the executable's name, at most 15 bytes.
    char state = '?';  ///< R, S, D, T, t, Z, X, I ...
    pid_t ppid = 0;    ///< Parent (after reparenting: the nearest subreaper or init).
    pid_t pgid = 0;    ///< Process group.
    pid_t sid = 0;     ///< Session.
};

/// /proc/PID/status, the fields about identity and credentials.
struct ProcStatus {
    std::string name;                ///< Name: line.
    char state = '?';                ///< First letter of the State: line.
    pid_t ppid = 0;                  ///< PPid: line.
    std::array<uid_t, 4> uid{};      ///< Uid: real, effective, saved, filesystem.
    std::array<gid_t, 4> gid{};      ///< Gid: real, effective, saved, filesystem.
    std::vector<gid_t> groups;       ///< Groups: supplementary groups.
};

/// /proc/PID/stat parsed, or nothing when the process is gone.
std::optional<ProcStat> read_proc_stat(pid_t pid);

/// Nanoseconds all threads of @p pid have run on a CPU (/proc/PID/task/*/schedstat;
/// precise, unlike the clock ticks of /proc/PID/stat); 0 when the process is gone.
unsigned long long cpu_time_ns(pid_t pid);

/// /proc/PID/status parsed, or nothing when the process is gone.
std::optional<ProcStatus> read_proc_status(pid_t pid);

/// The comm name of @p pid ("" when gone).
std::string process_name(pid_t pid);

/// Every process currently in /proc (processes that vanish during the scan are skipped).
std::vector<ProcStat> list_processes();

/// The processes of @p table whose parent chain leads to @p ancestor (not @p ancestor itself).
std::vector<ProcStat> descendants_of(pid_t ancestor, const std::vector<ProcStat>& table);

/// Number of processes of @p table per parent pid.
std::map<pid_t, std::size_t> children_per_parent(const std::vector<ProcStat>& table);

/// The children of @p parent in @p table.
std::vector<ProcStat> children_of(pid_t parent, const std::vector<ProcStat>& table);

/// True when `/proc/PID/environ` holds the entry @p entry (e.g. "NAME=value").
/// False for zombies and processes we may not inspect.
bool environ_contains(pid_t pid, std::string_view entry);

/// One line per process, "pid ppid pgid state name", for failure messages.
std::string describe(const std::vector<ProcStat>& processes);

/// Makes this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER), once:
/// orphans of the servers it starts are then reparented to it rather than to init.
/// @throws std::system_error when prctl fails.
void become_child_subreaper();

} // namespace papaya::harness
