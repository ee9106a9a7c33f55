#pragma once
/// @file
/// @brief The full-screen interface's event loop: one poll(2) on the
/// terminal, the server and a signal pipe, with no timeout, so an idle client
/// uses no CPU.

#include <memory>
#include <optional>

#include "connection.hpp"
#include "options.hpp"

namespace papaya::client {

/// Runs the full-screen interface on the terminal until the user leaves.
/// @param options the settings.
/// @param connection the connection already made (so that a failure to
///        connect is reported before the screen is taken over).
/// @return the exit status (0).
int run_full_screen(const ClientOptions& options, std::unique_ptr<ServerConnection> connection);

} // namespace papaya::client
