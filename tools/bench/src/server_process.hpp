#pragma once
// The server under test as a child process: started in the measurement cgroup and
// (optionally) pinned to one cpu before exec, so every process it forks inherits
// both; READY parsed from its stderr; stopped with SIGTERM, then SIGKILL.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "papaya/unique_fd.hpp"

namespace bench {

struct SpawnOptions {
    std::vector<std::string> argv;
    std::vector<std::string> cgroup_procs_files; ///< joined in the child before exec
    int cpu = -1;                                ///< pin to this cpu when >= 0
    int nice = 0;                                ///< setpriority() and autogroup nice before exec when != 0
    const char* nice_text = "0";                 ///< the same number as text (no formatting after fork)
};

class ServerProcess {
public:
    explicit ServerProcess(const SpawnOptions& options);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    [[nodiscard]] int pid() const noexcept { return pid_; }
    /// Waits for `READY port=<p> pid=<pid>`; returns the port. Throws with the
    /// server's stderr when it exits or the deadline passes first.
    int wait_ready(int timeout_ms);
    /// SIGTERM, wait up to @p grace_ms, then SIGKILL. Returns the wait status, and
    /// whether it exited within the grace period.
    std::pair<int, bool> stop(int grace_ms);
    /// The last lines the server wrote to stderr.
    [[nodiscard]] std::string stderr_tail() const;

private:
    void read_stderr();

    int pid_ = -1;
    bool reaped_ = false;
    papaya::UniqueFd stderr_;
    papaya::UniqueFd pidfd_;
    papaya::UniqueFd stop_event_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::string> lines_;
    std::optional<int> port_;
    bool eof_ = false;
    std::thread reader_;
};

} // namespace bench
