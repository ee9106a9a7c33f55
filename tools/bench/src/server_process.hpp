#pragma once
// The server under test as a child process (papaya_process's ServerProcess):
// started in the measurement cgroup, in a session of its own and (optionally)
// pinned to one cpu and reniced before exec, so every process it forks inherits
// all of it; stopped with SIGTERM, then SIGKILL.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "papaya/process/deadline.hpp"
#include "papaya/process/server.hpp"

namespace bench {

struct SpawnOptions {
    std::vector<std::string> argv;
    std::vector<std::string> cgroup_procs_files; ///< joined in the child before exec
    int cpu = -1;                                ///< pin to this cpu when >= 0
    int nice = 0;                                ///< setpriority() and autogroup nice before exec when != 0
};

/// How a stop() ended.
struct StopResult {
    papaya::process::ExitStatus status;
    bool in_time = false; ///< it exited on SIGTERM within the grace period
};

class ServerProcess {
public:
    /// @throws std::system_error naming the call that failed in the child
    /// (execve, or the cgroup, nice or affinity step).
    explicit ServerProcess(const SpawnOptions& options);

    [[nodiscard]] pid_t pid() const noexcept { return server_.child().pid(); }
    /// Waits for `READY port=<p> pid=<pid>`; returns the port. Throws with the
    /// server's stderr when it exits or the deadline passes first.
    std::uint16_t wait_ready(papaya::process::Deadline deadline);
    /// SIGTERM, wait up to @p grace, then SIGKILL.
    StopResult stop(std::chrono::milliseconds grace);

private:
    std::string nice_text_; // formatted before fork: the child may not allocate
    papaya::process::ServerProcess server_;
};

} // namespace bench
