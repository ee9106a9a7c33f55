#pragma once
/// @file
/// @brief Lab 7: the process cluster of lab 6 as threads: a RECV and a SEND
/// thread per client, in the acceptor's process.

#include "papaya/client_session.hpp"
#include "papaya/unique_fd.hpp"

#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>

namespace papaya {

/// "The log has grown": the SIGUSR1 of lab 3, for threads. A count of
/// appends under a mutex, and a condition variable that SEND threads wait on
/// with a predicate, so a wakeup that comes while a thread is busy is not
/// lost: the count has moved, and the thread does not wait at all.
class LogGrowth {
public:
    /// Announces an append: every waiting SEND thread wakes.
    void announce();
    /// Blocks until more than @p seen appends were announced or @p stop is
    /// true (read under the same mutex, so a stop is not missed either).
    /// @return the number of appends announced so far.
    std::uint64_t wait_beyond(std::uint64_t seen, const bool& stop);
    /// Sets @p flag (a `stop` of wait_beyond()) under the mutex and wakes
    /// every waiting thread.
    void raise(bool& flag);

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    // [[maybe_unused]]: the starter's stubs do not use the fields yet (clang's -Wunused-private-field).
    [[maybe_unused]] std::uint64_t appends_ = 0;
};

/// Every client's RECV and SEND threads. The acceptor calls serve() for each
/// client it accepts (the handler of run_accept_loop, which then runs
/// "inline": starting two threads takes no time) and stop() at SIGTERM.
class ClientThreads {
public:
    /// @param config what every session needs (the key, the log, the history).
    /// @param max_clients clients over this bound are closed at once.
    ClientThreads(const SessionConfig& config, unsigned max_clients);
    /// Calls stop().
    ~ClientThreads();
    ClientThreads(const ClientThreads&) = delete;
    ClientThreads& operator=(const ClientThreads&) = delete;

    /// Opens the client's descriptors (its own writer and reader of the log)
    /// here, in the acceptor's thread, then starts its RECV thread, which
    /// authenticates, picks the history offset and starts the SEND thread.
    /// Joins the threads of clients that have left. Closes @p client at once
    /// when max_clients are connected.
    /// @throws std::system_error when a descriptor or a thread cannot be had
    ///         (the connection is closed: one client's problem).
    void serve(UniqueFd client);
    /// Ends every session (its socket is shut down, which wakes a thread
    /// blocked on it, and its SEND thread is woken) and joins every thread.
    void stop();

    /// One client: its socket, descriptors and threads (client_threads.cpp).
    struct Session;

private:
    void join_finished();

    [[maybe_unused]] const SessionConfig& config_; // (see LogGrowth::appends_)
    [[maybe_unused]] unsigned max_clients_;
    LogGrowth growth_;
    std::list<std::unique_ptr<Session>> sessions_; // only the acceptor's thread touches the list
};

} // namespace papaya
