#pragma once
/// @file
/// @brief A chat server as a child process: its stderr read by a thread of
/// its own, and the READY line of chatserver/PROTOCOL.md found in it.

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "papaya/process/child.hpp"
#include "papaya/process/deadline.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::process {

/// What a READY line says.
struct Ready {
    std::uint16_t port = 0; ///< The port the server listens on.
    pid_t pid = 0;          ///< The pid of the listening process (with --daemon: the daemon's).
};

/// Parses `READY port=<port> pid=<pid>` exactly (one line, no newline):
/// port 1..65535, pid a positive decimal.
std::optional<Ready> parse_ready_line(std::string_view line);

/// A server started with stdin from /dev/null and stderr read continuously by
/// a thread (so a chatty server never blocks on a full pipe), and kept whole,
/// for waiting on READY or on any text. Destruction kills and reaps the
/// launched process (not what it forked: see the owner's stop), then ends the thread.
class ServerProcess {
public:
    /// Starts @p options (its stdin_fd and stderr_fd are replaced).
    /// @throws std::system_error as Child does.
    explicit ServerProcess(SpawnOptions options);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    /// The launched process.
    [[nodiscard]] Child& child() { return *child_; }
    /// The launched process.
    [[nodiscard]] const Child& child() const { return *child_; }

    /// Waits until READY was printed, or stderr closed, or @p deadline passed.
    /// @return the first READY line's contents, or nothing (see stderr_closed()).
    std::optional<Ready> wait_ready(Deadline deadline);
    /// The first READY line's contents, once printed.
    [[nodiscard]] std::optional<Ready> ready() const;
    /// Number of READY lines seen (the protocol says exactly one).
    [[nodiscard]] int ready_line_count() const;
    /// True once stderr reached end of file (every writer closed it or ended).
    [[nodiscard]] bool stderr_closed() const;
    /// Everything the server wrote to stderr so far.
    [[nodiscard]] std::string stderr_text() const;
    /// Waits until stderr contains @p needle; false on timeout or when stderr closed without it.
    bool wait_for_stderr(std::string_view needle, Deadline deadline);

private:
    void drain_loop();
    void drain_available_locked() const;
    void parse_ready_locked() const;

    // Filled by the drain thread and, on demand, by the const accessors
    // (hence mutable), always under mutex_.
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    mutable std::string stderr_;
    mutable std::size_t parsed_upto_ = 0;
    mutable int ready_lines_ = 0;
    mutable std::optional<Ready> ready_;
    mutable bool stderr_eof_ = false;

    UniqueFd stderr_read_;
    UniqueFd stop_read_;
    UniqueFd stop_write_;
    std::optional<Child> child_;
    std::thread drain_thread_;
};

} // namespace papaya::process
