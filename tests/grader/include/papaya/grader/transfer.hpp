#pragma once
/// @file
/// @brief Sending while reading: a client that sends a large amount must read
/// at the same time, or the server's socket buffers fill up and both block.

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "papaya/harness/client.hpp"

namespace papaya::grader {

/// What a transfer saw.
struct Transfer {
    std::string received;   ///< Every byte that came back.
    bool closed = false;    ///< The server closed the connection.
    bool stalled = false;   ///< Nothing arrived for the quiet period before all expected bytes did.
    bool timed_out = false; ///< The overall deadline passed first.
};

/// Sends @p data in chunks whose sizes cycle through @p chunk_sizes (one send
/// each, TCP_NODELAY) while reading whatever arrives, then reads until
/// @p expected_total bytes arrived, the server closed, nothing came for
/// @p quiet, or @p within passed. Never fails the test by itself.
Transfer send_while_reading(harness::Client& client, std::string_view data, std::span<const std::size_t> chunk_sizes,
                            std::size_t expected_total, std::chrono::milliseconds within,
                            std::chrono::milliseconds quiet);

/// Why a transfer ended early, for a failure message ("" when it did not).
std::string describe_end(const Transfer& transfer, std::chrono::milliseconds quiet);

/// Sends @p data (in @p chunk_sizes) and expects exactly @p data back, as one
/// numbered step; on a difference adds a failure with expect_bytes().
/// @return true when the echo was exact.
bool expect_echo(harness::Client& client, std::string_view data, std::span<const std::size_t> chunk_sizes,
                 std::string_view what);

} // namespace papaya::grader
