#pragma once
// Server-side sampling: CPU time of the whole process tree every interval (in its
// own thread, so the load generator's loop never waits for it), and full tree
// snapshots (processes, threads, PSS, context switches) on request.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cgroup.hpp"

namespace bench {

struct CpuSample {
    std::int64_t t_ns = 0;            ///< when it was read (CLOCK_MONOTONIC)
    std::uint64_t cpu_ns = 0;         ///< cumulative CPU time of the tree
    std::uint64_t system_busy_ns = 0; ///< all cpus, everyone: to see other load on the machine
};

struct TreeSnapshot {
    std::int64_t t_ns = 0;
    std::size_t processes = 0;
    std::size_t threads = 0;
    std::uint64_t pss_bytes = 0; ///< sum of Pss over the tree's processes
    std::optional<std::uint64_t> cgroup_memory_bytes;
    std::uint64_t context_switches = 0; ///< voluntary + involuntary, summed over threads
    std::uint64_t cpu_ns = 0;
};

/// The processes of the server: the cgroup's members, or (fallback) @p root and
/// its descendants found through /proc/<pid>/stat.
std::vector<int> tree_pids(const Cgroup* group, int root);
TreeSnapshot snapshot_tree(const Cgroup* group, int root);
/// Where the CPU time of snapshot_tree() comes from: "cgroup v2 cpu.stat", ...,
/// or the /proc fallback without @p group.
std::string cpu_source_of(const Cgroup* group);

class Sampler {
public:
    Sampler(const Cgroup* group, int root, std::chrono::milliseconds interval);
    ~Sampler();
    Sampler(const Sampler&) = delete;
    Sampler& operator=(const Sampler&) = delete;

    /// "cgroup v2 cpu.stat", ..., or "/proc/<pid>/task/*/schedstat over the live tree".
    [[nodiscard]] std::string cpu_source() const;
    /// Asks the sampling thread for a tree snapshot; returns its slot number.
    int request_snapshot();
    /// Blocks until every requested snapshot has been taken.
    void wait_snapshots();
    /// Stops the thread; then samples() and snapshot(slot) are final.
    void stop();
    [[nodiscard]] std::vector<CpuSample> samples() const;
    [[nodiscard]] std::optional<TreeSnapshot> snapshot(int slot) const;

private:
    std::uint64_t read_cpu() const;
    void loop();
    void snapshot_loop();

    const Cgroup* group_;
    int root_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable taken_;
    std::condition_variable snapshot_wake_;
    bool stop_ = false;
    int pending_snapshots_ = 0;
    bool in_snapshot_ = false;
    std::vector<CpuSample> samples_;
    std::vector<std::optional<TreeSnapshot>> snapshots_;
    std::thread thread_;
    std::thread snapshot_thread_;
};

} // namespace bench
