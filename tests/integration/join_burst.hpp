#pragma once
/// @file
/// @brief A join burst: many clients connect and each sends one line at once,
/// before the server has even accepted it. PROTOCOL.md section 4 has the
/// server pick the history offset O before it reads a client's first line, so
/// every client must receive its own line; a server that picks O later (in
/// the SEND role, while RECV already appends) loses it once more than
/// `--history` lines got in first. Shared by the lab 3 suite, the integration
/// suite and papaya-join-burst (tools/bench), which counts the losses.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "chat_helpers.hpp"

namespace papaya::integration {

/// What one burst showed.
struct BurstOutcome {
    std::size_t clients = 0;                ///< Clients in the burst.
    std::vector<std::size_t> own_line_lost; ///< Clients (0-based) whose own line never came back.
    /// Burst lines received, summed over clients: clients² at most, fewer
    /// when lines were appended before a client's offset and only the last
    /// `--history` of them reached it as history (legal).
    std::size_t deliveries = 0;
    /// Other breaches of PROTOCOL.md section 6, one sentence each: a client
    /// whose bytes are not one stretch of the log (a gap, a repetition, a
    /// record out of order).
    std::vector<std::string> violations;
    /// Every problem of this burst (lost own lines first), one sentence each.
    [[nodiscard]] std::vector<std::string> problems() const;
};

/// Runs one burst against the server on @p port whose chat log is @p log:
/// @p clients clients, each connecting and at once sending (after @p key,
/// when not empty, in the same send) one unique line; then waits until the
/// log holds every burst line, sends a marker from the first client and reads
/// every client up to it, and compares what each received with the log.
/// Every client is closed before it returns.
/// @throws HarnessFailure when the lines do not all reach the log, or the
/// marker does not reach every client, within @p timeout.
BurstOutcome join_burst(std::uint16_t port, const std::filesystem::path& log, std::size_t clients,
                        std::string_view key = {}, std::chrono::milliseconds timeout = harness::default_read_timeout);

} // namespace papaya::integration
