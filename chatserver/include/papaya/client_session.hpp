#pragma once
/// @file
/// @brief Lab 2: one client's RECV process (key, history, lines to the log); from lab 3 it starts the SEND process.

#include "papaya/auth_privileges.hpp"
#include "papaya/chat_log.hpp"
#include "papaya/multicast.hpp"
#include "papaya/stage.hpp"
#include "papaya/unique_fd.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace papaya {

/// What every client process needs to know, fixed at start-up.
struct SessionConfig {
    StageFeatures features;                       ///< What this stage does.
    std::string log_path;                         ///< The chat log (absolute).
    std::optional<Key> key;                       ///< The key, when authentication is on.
    std::chrono::milliseconds auth_timeout{1000}; ///< Time to send the whole key.
    unsigned history = 7;                         ///< Lines of history after authentication.
    std::size_t max_line = 4096;                  ///< Longest accepted line.
    const SenderGroup* senders = nullptr;         ///< The SEND processes' group (multicast stages).
};

/// Appends @p records, in order, to @p log. False, once logged, when one
/// could not be stored because the log is full (ENOSPC, EFBIG): append() left
/// nothing of it behind, and the lines after it are not appended either, so
/// the log holds what the client sent up to a point, never with a gap
/// (PROTOCOL.md §7). The caller then closes the connection of @p client.
bool append_records(ChatLogWriter& log, const std::vector<std::string>& records, int client);

/// The RECV role, run in the client's own process: authenticates, forks the
/// client's SEND process (or sends the history itself before lab 3), then
/// appends every complete line to the log and wakes the senders.
/// @return the process's exit status.
int serve_client(UniqueFd client, const SessionConfig& config);

} // namespace papaya
