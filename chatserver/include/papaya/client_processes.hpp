#pragma once
/// @file
/// @brief Lab 1: one process per client, reaped as they exit, stopped together.

#include "papaya/accept_loop.hpp"
#include "papaya/listener.hpp"
#include "papaya/unique_fd.hpp"

#include <csignal>
#include <cstddef>
#include <set>
#include <sys/types.h>

namespace papaya {

/// The acceptor's client processes: it forks one per accepted connection and
/// keeps their pids, so that it can reap them and stop them at the end.
class ClientProcesses {
public:
    /// @param max_clients connections over this many live client processes are closed at once.
    explicit ClientProcesses(unsigned max_clients) : max_clients_(max_clients) {}

    /// Forks a process that serves @p client with @p handler and exits with
    /// its status. The child closes the listening socket (so the port closes
    /// when the acceptor dies), restores the default SIGTERM, SIGINT and
    /// SIGCHLD dispositions and the signal mask @p child_mask. A connection
    /// over --max-clients, or one that fork(2) fails for, is closed and logged.
    void spawn(const ClientHandler& handler, UniqueFd client, Listener& listener, const sigset_t& child_mask);

    /// Reaps every child that has exited (without waiting for the others) and
    /// logs the ones that died of a signal.
    void reap();

    /// Sends SIGTERM to every client process, waits for them for a grace
    /// period (SIGCHLD must be blocked by the caller), then sends SIGKILL to
    /// any left; returns when every child is reaped.
    void stop();

    /// Live client processes.
    [[nodiscard]] std::size_t count() const noexcept { return pids_.size(); }

private:
    unsigned max_clients_;
    std::set<pid_t> pids_;
    bool stopping_ = false;
};

} // namespace papaya
