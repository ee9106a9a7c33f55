#pragma once
/// @file
/// @brief Lab 3: waking every SEND process with SIGUSR1 when the log grows.

#include "papaya/chat_log.hpp"
#include "papaya/unique_fd.hpp"

#include <string>
#include <sys/types.h>

namespace papaya {

/// The process group that holds every SEND process, and nothing else that
/// SIGUSR1 could disturb (not the acceptor, not the RECV processes).
///
/// A group lives as long as one member does, so an idle "anchor" process
/// leads it: SEND processes come and go, the group's id stays valid. The
/// anchor leaves by itself once every other process of the service is gone
/// (it waits for end of file on a pipe whose write end they all inherit).
class SenderGroup {
public:
    /// Forks the anchor process. Call in the acceptor, after dropping privileges.
    /// @throws std::system_error("fork") or ("setpgid").
    static SenderGroup create();

    /// The group's id (the anchor's pid).
    [[nodiscard]] pid_t pgid() const noexcept { return pgid_; }

    /// Moves process @p pid (0: the caller) into the group. Called by both
    /// the RECV parent and its SEND child, so neither waits for the other.
    void join(pid_t pid) const;

    /// Sends SIGUSR1 to every SEND process: "the log has grown".
    void notify() const;

    /// Sends SIGTERM to the group (every SEND process and the anchor).
    void terminate() const;

private:
    SenderGroup(pid_t pgid, UniqueFd lifeline) : pgid_(pgid), lifeline_(std::move(lifeline)) {}
    pid_t pgid_;
    UniqueFd lifeline_; // write end of the anchor's pipe, inherited by every client process
};

/// Blocks SIGUSR1 in the calling process, so that a notification that arrives
/// while the process is busy stays pending instead of being lost. Call before
/// forking a SEND process; the child inherits the mask.
void block_wakeup_signal();

/// The SEND role: writes to @p client every complete line of the log from
/// @p offset on, then sleeps until SIGUSR1 and repeats, without a window in
/// which a wakeup could be lost. Returns when the client is gone.
void run_sender(int client, ChatLogReader& log, std::uint64_t offset);

/// A client's SEND process, from fork(2) to reaping, owned by its RECV process.
class SenderProcess {
public:
    /// Picks the history offset O (where the last @p history lines of the log
    /// at @p log_path start) in the calling RECV process, before it reads any
    /// line of the client, so every line the client sends comes back to it
    /// (PROTOCOL.md section 4). Then forks the SEND process of @p client: it
    /// joins @p group and, with run_sender(), sends the log from O on. It
    /// never outlives its RECV process.
    /// @throws std::system_error("fork").
    SenderProcess(int client, const SenderGroup& group, const std::string& log_path, unsigned history);
    /// Terminates the SEND process (SIGTERM) and reaps it.
    ~SenderProcess();
    SenderProcess(const SenderProcess&) = delete;
    SenderProcess& operator=(const SenderProcess&) = delete;

private:
    pid_t pid_;
};

} // namespace papaya
