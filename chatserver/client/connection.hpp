#pragma once
/// @file
/// @brief One connection to the chat server: connect (IPv4 or IPv6, with a
/// timeout), send the key, send lines, receive whole lines, and explain in
/// plain words why it ended.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "papaya/key_file.hpp"
#include "papaya/line_framer.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::client {

/// A connection that could not be made; what() is a sentence for the user.
class ConnectError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// "host:port", or "[v6-address]:port".
std::string server_label(const std::string& host, std::uint16_t port);

/// Connects to @p host (a name, an IPv4 or an IPv6 address, brackets allowed)
/// on @p port, trying each address it resolves to, within @p timeout per address.
/// @throws ConnectError: unknown host, connection refused, timed out;
///         std::system_error("connect HOST:PORT") or ("getaddrinfo HOST") otherwise.
UniqueFd connect_to(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout);

/// How long after connecting a close before any data means authentication failed.
inline constexpr std::chrono::seconds auth_window{5};

/// Why a connection ended, for the user: a close before anything arrived,
/// soon after connecting, is what a server does to a wrong key (or when full).
/// @param received_anything whether any byte came from the server.
/// @param key_sent whether we sent a key.
/// @param lifetime how long the connection lasted.
std::string closed_reason(bool received_anything, bool key_sent, std::chrono::steady_clock::duration lifetime);

/// A connected, authenticated-as-far-as-we-know session with the server.
class ServerConnection {
public:
    /// Connects and sends @p key when there is one.
    /// @throws ConnectError when the connection cannot be made or the key cannot be sent.
    ServerConnection(const std::string& host, std::uint16_t port, const std::optional<Key>& key,
                     std::chrono::milliseconds timeout);

    /// The socket, to poll for input.
    [[nodiscard]] int fd() const noexcept { return fd_.get(); }

    /// Reads what is available (call when poll says the socket is readable;
    /// it does not block then) and returns the complete lines, without `\n`.
    /// After it returns with closed() true, the connection is over.
    std::vector<std::string> receive();

    /// Sends @p line followed by `\n`.
    /// @return false when the server is gone (closed() is then true).
    bool send_line(std::string_view line);

    /// True once the server closed the connection (or broke it).
    [[nodiscard]] bool closed() const noexcept { return closed_; }
    /// Why the connection ended, in plain words (valid once closed()).
    [[nodiscard]] std::string close_reason() const;
    /// True once any byte came from the server.
    [[nodiscard]] bool received_anything() const noexcept { return received_anything_; }

private:
    UniqueFd fd_;
    LineFramer framer_;
    std::chrono::steady_clock::time_point connected_at_;
    bool key_sent_ = false;
    bool received_anything_ = false;
    bool closed_ = false;
    std::string problem_; // set when the server broke the protocol
};

} // namespace papaya::client
