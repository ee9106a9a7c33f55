#pragma once
/// @file
/// @brief Line mode, for scripts and tests: stdin lines are sent as
/// "name: text", every line received is printed to stdout; --tail and --send.

#include <optional>

#include "options.hpp"
#include "papaya/key_file.hpp"

namespace papaya::client {

/// Runs line mode (or --tail / --send) and returns the exit status:
/// 0 when done, 1 when the connection failed, the server went away, a line
/// could not be sent, or sent lines did not come back within the timeout.
/// Messages go to stderr, prefixed with "papaya: ".
/// @throws ConnectError when the connection cannot be made.
int run_line_mode(const ClientOptions& options, const std::optional<Key>& key);

} // namespace papaya::client
