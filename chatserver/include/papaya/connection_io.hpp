#pragma once
/// @file
/// @brief Lab 0: reading and writing a connected socket correctly
/// (short reads and writes, EINTR, a peer that resets the connection).

#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>

namespace papaya {

/// Reads whatever is available, at most @p buffer.size() bytes, blocking
/// until at least one byte arrives. Retries on EINTR.
/// @return the number of bytes read; 0 at end of stream or when the peer
///         reset the connection.
/// @throws std::system_error("read") on any other error.
std::size_t read_some(int fd, std::span<char> buffer);

/// Like read_some(), but gives up at @p deadline.
/// @return the number of bytes read (0 at end of stream), or -1 when the deadline passed first.
/// @throws std::system_error("poll") or ("read") on errors.
long read_some_until(int fd, std::span<char> buffer, std::chrono::steady_clock::time_point deadline);

/// Writes all of @p data to the socket @p fd, however many send(2) calls it
/// takes. Retries on EINTR. Never raises SIGPIPE (MSG_NOSIGNAL).
/// @return false when the peer is gone (EPIPE, ECONNRESET), true otherwise.
/// @throws std::system_error("write") on any other error.
bool write_all(int fd, std::string_view data);

/// Echoes every byte read from @p fd back to it until end of stream.
/// Half-close: after the peer's end of stream the connection is shut down for writing.
void echo_until_eof(int fd);

} // namespace papaya
