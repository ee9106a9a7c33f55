#pragma once
/// @file
/// @brief Lab 5 (given): the listening socket (one socket for IPv4 and IPv6 without `--bind`).

#include "papaya/unique_fd.hpp"

#include <cstdint>
#include <string>

namespace papaya {

/// A bound, listening TCP socket and the port it got.
struct Listener {
    UniqueFd fd;        ///< The listening socket (close-on-exec).
    std::uint16_t port; ///< The port actually bound (resolves `--port 0`).
};

/// Opens a listening socket.
/// @param bind an IPv4 or IPv6 address (or a host name); empty: every address
///        of both families, whatever `net.ipv6.bindv6only` says.
/// @param port the port; 0 picks a free one.
/// @throws std::system_error naming the failing call (e.g. "bind").
/// @throws std::runtime_error when @p bind does not resolve.
Listener open_listener(const std::string& bind, std::uint16_t port);

} // namespace papaya
