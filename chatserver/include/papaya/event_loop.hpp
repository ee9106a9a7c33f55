#pragma once
/// @file
/// @brief Lab 8: every client served by one thread, with epoll(7) and
/// non-blocking sockets.

#include "papaya/client_session.hpp"
#include "papaya/listener.hpp"

namespace papaya {

/// How the event loop runs.
struct EventLoopConfig {
    unsigned max_clients = 1024; ///< Clients over this bound are closed at once.
};

/// Serves the clients of @p listener from the calling thread until SIGTERM
/// or SIGINT (taken with signalfd(2)), then closes every client and returns.
///
/// Each client is a small state machine: authenticating (the key's bytes so
/// far, and a deadline) then chatting (its line framer, and its offset in
/// the chat log: the next byte it is owed). The log is the only backlog: a
/// client that cannot take more stays at its offset, and the loop writes to
/// it again when epoll says it can. No call ever blocks on a client.
void run_event_loop(Listener& listener, const SessionConfig& config, const EventLoopConfig& loop);

} // namespace papaya
