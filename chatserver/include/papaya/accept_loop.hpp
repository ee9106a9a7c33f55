#pragma once
/// @file
/// @brief Lab 0: accepting clients until SIGTERM, one at a time or (lab 1) one process each.

#include "papaya/listener.hpp"
#include "papaya/unique_fd.hpp"

#include <functional>
#include <sys/types.h>

namespace papaya {

/// Serves one accepted client; returns the exit status of its process.
using ClientHandler = std::function<int(UniqueFd client)>;

/// How the accept loop runs.
struct AcceptLoopConfig {
    bool fork_per_client = true; ///< false: serve clients one at a time in this process (lab 0).
    unsigned max_clients = 1024; ///< Clients over this bound are closed at once.
    /// Called when the service stops, before the client processes are
    /// terminated: e.g. to terminate the SEND processes' group too.
    std::function<void()> on_stop;
};

/// One descriptor kept in reserve for accept(2)'s EMFILE. EMFILE leaves the
/// pending connection in the queue, and poll() reports it again at once: a
/// busy loop. With the spare, the connection can be accepted and closed (the
/// technique of libev and nginx). Used by every engine's acceptor.
class SpareDescriptor {
public:
    /// Opens the spare (of /dev/null).
    SpareDescriptor();
    /// Frees the spare, accepts the connection pending on @p listener with
    /// it and closes that at once, then takes the spare again.
    /// @return whether a connection was pending (accept(2) fails with EMFILE
    ///         before it looks at the queue, so there may have been none).
    bool shed_one(int listener);

private:
    UniqueFd fd_;
};

/// Whether accept(2)'s error @p error concerns one connection or a passing
/// shortage (EINTR, ECONNABORTED, EMFILE, ENOBUFS, the network errors that
/// accept(2) passes on, ...), never the service: the acceptor goes on.
bool transient_accept_error(int error);

/// Accepts clients until SIGTERM (or SIGINT). With fork_per_client, each
/// client is served by @p handler in a child process, children are reaped as
/// they exit, and transient accept errors never end the loop.
///
/// On SIGTERM it stops accepting, calls `on_stop`, sends SIGTERM to every
/// client process, and waits for them (SIGKILL after a grace period), so the
/// whole service is gone when it returns.
void run_accept_loop(Listener& listener, const ClientHandler& handler, const AcceptLoopConfig& config);

} // namespace papaya
