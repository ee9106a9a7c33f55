#pragma once
/// @file
/// @brief The text of the status line between the message pane and the input line.

#include <cstddef>
#include <string>

namespace papaya::client {

/// The state of the connection, as the status line shows it.
enum class LinkState {
    connecting,   ///< Connecting and authenticating.
    connected,    ///< Connected (the key was sent; the server has not closed).
    disconnected, ///< Not connected: the server went away or refused us.
};

/// What the status line shows.
struct StatusInfo {
    std::string server;                      ///< "host:port".
    std::string name;                        ///< Our name.
    LinkState state = LinkState::connecting; ///< The connection.
    bool scrolled = false;                   ///< Scrolled back from the newest messages.
    std::size_t unseen = 0;                  ///< Messages that arrived while scrolled back.
};

/// The status line for a terminal @p width columns wide: what matters most
/// (the connection state) first, the server and the name, and a hint on the
/// right. The result is at most @p width columns wide (cut at a character).
std::string status_text(const StatusInfo& info, std::size_t width);

} // namespace papaya::client
