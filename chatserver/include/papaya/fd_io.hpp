#pragma once
/// @file
/// @brief Given code's own reads and writes: the service log, the READY line,
/// the key file and the chat client use these.
///
/// A server's stage files use lab 0's connection_io.hpp instead: reading and
/// writing a client's socket correctly is what lab 0 teaches.

#include <cstddef>
#include <span>
#include <string_view>

namespace papaya::io {

/// Writes every byte of @p data to @p fd (a socket, pipe, terminal or file),
/// however many calls it takes; retries on EINTR. On a socket it uses send(2)
/// with MSG_NOSIGNAL, so a vanished peer is an error, not a SIGPIPE.
/// @return 0 when all was written, else the errno of the call that failed.
[[nodiscard]] int try_write_all(int fd, std::string_view data) noexcept;

/// Like try_write_all().
/// @return true when all was written, false when the reader is gone (EPIPE, ECONNRESET, ETIMEDOUT).
/// @throws std::system_error("write") on any other error.
bool write_all(int fd, std::string_view data);

/// Reads what is available, at most @p buffer.size() bytes, blocking until
/// at least one byte arrives; retries on EINTR.
/// @return the number of bytes read; 0 at end of stream, when the peer reset
///         the connection (ECONNRESET, ETIMEDOUT), or when a terminal hung up (EIO).
/// @throws std::system_error("read") on any other error.
std::size_t read_some(int fd, std::span<char> buffer);

} // namespace papaya::io
