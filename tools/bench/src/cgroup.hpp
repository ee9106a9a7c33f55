#pragma once
// A cgroup of our own for the server under test, so the CPU of every process it
// ever forks (including ones that already exited) is counted, which summing
// per-process `top` lines could not do.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bench {

class Cgroup {
public:
    /// Creates a fresh group (cgroup v2 for CPU when possible, else v1 cpuacct;
    /// plus the v1 memory controller when v2 has no memory accounting here).
    /// nullptr when no hierarchy is usable (then the caller falls back to /proc).
    static std::unique_ptr<Cgroup> create(const std::string& name);
    ~Cgroup();
    Cgroup(const Cgroup&) = delete;
    Cgroup& operator=(const Cgroup&) = delete;

    /// The cgroup.procs files a new process must write its pid to, in order.
    [[nodiscard]] const std::vector<std::string>& procs_files() const noexcept { return procs_files_; }
    /// "cgroup v2 cpu.stat" or "cgroup v1 cpuacct.usage".
    [[nodiscard]] const std::string& cpu_source() const noexcept { return cpu_source_; }
    /// "cgroup v2 memory.current", "cgroup v1 memory.usage_in_bytes" or "" when none.
    [[nodiscard]] const std::string& memory_source() const noexcept { return memory_source_; }

    /// Total CPU time of every task that ever ran in the group.
    [[nodiscard]] std::optional<std::uint64_t> cpu_ns() const;
    /// Memory charged to the group (includes page cache and kernel memory).
    [[nodiscard]] std::optional<std::uint64_t> memory_bytes() const;
    /// The processes in the group now.
    [[nodiscard]] std::vector<int> pids() const;
    /// SIGKILL every process in the group (cgroup.kill when v2 has it).
    void kill_all() const noexcept;

private:
    Cgroup() = default;
    std::vector<std::string> dirs_; // created by us, removed in the destructor
    std::vector<std::string> procs_files_;
    std::string cpu_file_;
    bool cpu_v2_ = false;
    std::string cpu_source_;
    std::string memory_file_;
    std::string memory_source_;
    std::string kill_file_;
};

} // namespace bench
