#pragma once
/// @file
/// @brief Reading the process table from /proc: parents, states, credentials,
/// CPU time; and making this process a child subreaper so that a service's
/// orphans stay its descendants.

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace papaya::process {

/// One line of /proc/PID/stat, the fields the tools need.
struct ProcStat {
    pid_t pid = 0;    ///< Process id.
    std::string name; ///< comm: the executable's name, at most 15 bytes.
    char state = '?'; ///< R, S, D, T, t, Z, X, I ...
    pid_t ppid = 0;   ///< Parent (after reparenting: the nearest subreaper or init).
    pid_t pgid = 0;   ///< Process group.
    pid_t sid = 0;    ///< Session.
};

/// /proc/PID/status, the fields about identity and credentials.
struct ProcStatus {
    std::string name;              ///< Name: line.
    char state = '?';              ///< First letter of the State: line.
    pid_t ppid = 0;                ///< PPid: line.
    std::array<uid_t, 4> uid{};    ///< Uid: real, effective, saved, filesystem.
    std::array<gid_t, 4> gid{};    ///< Gid: real, effective, saved, filesystem.
    std::vector<gid_t> groups;     ///< Groups: supplementary groups.
    std::uint64_t sig_blocked = 0; ///< SigBlk: blocked signals, bit n-1 for signal n.
    std::uint64_t sig_ignored = 0; ///< SigIgn: signals set to SIG_IGN.
    std::uint64_t sig_caught = 0;  ///< SigCgt: signals with a handler.
};

/// The text of /proc/PID/stat parsed ("pid (comm) state ppid pgrp session ...";
/// comm may hold spaces and ')'), or nothing when it is not such a line.
std::optional<ProcStat> parse_proc_stat(std::string_view text);

/// /proc/PID/stat parsed, or nothing when the process is gone.
std::optional<ProcStat> read_proc_stat(pid_t pid);

/// One line of /proc/PID/task/TID/schedstat.
struct Schedstat {
    std::uint64_t run_ns = 0;  ///< Time spent on a CPU.
    std::uint64_t wait_ns = 0; ///< Time spent runnable, waiting on a run queue.
    std::uint64_t slices = 0;  ///< Time slices run (one per switch-in).
};

/// The text of a schedstat file ("run_ns wait_ns slices") parsed, or nothing.
std::optional<Schedstat> parse_schedstat(std::string_view text);

/// Nanoseconds all threads of @p pid have run on a CPU (/proc/PID/task/*/schedstat;
/// precise, unlike the clock ticks of /proc/PID/stat); 0 when the process is gone.
std::uint64_t cpu_time_ns(pid_t pid);

/// cpu_time_ns() summed over @p pids (a process tree, a cgroup's members).
std::uint64_t cpu_time_ns(const std::vector<pid_t>& pids);

/// /proc/PID/status parsed, or nothing when the process is gone.
std::optional<ProcStatus> read_proc_status(pid_t pid);

/// The signal sets of @p status by name, for failure messages:
/// "blocked: SIGINT SIGTERM; ignored: none; caught: SIGCHLD".
std::string describe_signal_sets(const ProcStatus& status);

/// A flock(2) request that waits for a lock another process holds, from /proc/locks.
struct FlockWaiter {
    pid_t pid = 0;      ///< The waiting process.
    bool write = false; ///< LOCK_EX (else LOCK_SH).
};

/// Every process waiting, now, in flock(2) for a lock on @p file (matched by
/// device and inode in /proc/locks): proof that a server takes the lock
/// without watching it from inside.
/// @throws std::system_error when @p file or /proc/locks cannot be read.
std::vector<FlockWaiter> flock_waiters(const std::filesystem::path& file);

/// Where @p pid sleeps in the kernel (/proc/PID/wchan, e.g. "do_sigtimedwait"),
/// "" when it runs or is gone.
std::string wait_channel(pid_t pid);

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

} // namespace papaya::process
