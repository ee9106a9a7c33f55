#pragma once
/// @file
/// @brief The kernel's TCP socket table (/proc/net/tcp and tcp6): lets a test
/// observe the server's side of a connection (unread bytes, whether it closed)
/// without sleeping and without knowing how the server is built.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace papaya::harness {

/// TCP states as numbered in /proc/net/tcp (include/net/tcp_states.h).
enum class TcpState : int {
    established = 1,
    syn_sent = 2,
    syn_recv = 3,
    fin_wait1 = 4,
    fin_wait2 = 5,
    time_wait = 6,
    close = 7,
    close_wait = 8,
    last_ack = 9,
    listen = 10,
    closing = 11,
};

/// One socket of the table (addresses omitted: the tests talk over loopback).
struct TcpSocketEntry {
    std::uint16_t local_port = 0;     ///< Port of this end.
    std::uint16_t remote_port = 0;    ///< Port of the other end.
    TcpState state = TcpState::close; ///< Connection state.
    std::size_t tx_queue = 0;         ///< Bytes sent and not yet acknowledged.
    std::size_t rx_queue = 0;         ///< Bytes received and not yet read by the application.
};

/// Every socket in /proc/net/tcp and /proc/net/tcp6.
std::vector<TcpSocketEntry> read_tcp_table();

/// The server's end of the connection between a server listening on
/// @p server_port and a client bound to @p client_port, if it exists.
std::optional<TcpSocketEntry> server_end(std::uint16_t server_port, std::uint16_t client_port);

/// True once the server has closed its end of that connection (its socket is
/// gone or in a state reached only after the server's close()).
bool server_end_closed(std::uint16_t server_port, std::uint16_t client_port);

} // namespace papaya::harness
