#pragma once
/// @file
/// @brief A papayad with a fresh key and chat log for client tests, and a
/// hand-driven fake server for what a real server cannot be made to do.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "papaya/harness/harness.hpp"

namespace papaya::client_tests {

/// The server under test ($PAPAYA_SERVER) with a key file and its own chat log.
struct KeyedServer {
    /// Writes the key and @p initial_log, then starts the server with @p args.
    explicit KeyedServer(std::vector<std::string> args = {}, std::string_view initial_log = {});

    harness::TempDir dir{"papaya-client"}; ///< Key, chat log, and a HOME for clients.
    std::string key;                       ///< The 128-byte key.
    std::filesystem::path key_file;        ///< Its file (mode 0600).
    std::filesystem::path log;             ///< The chat log.
    harness::ServerProcess server;         ///< The running server.

    /// `--port P --key-file F --name NAME`.
    [[nodiscard]] std::vector<std::string> client_args(std::string_view name) const;
    /// The chat log's records, without `\n`.
    [[nodiscard]] std::vector<std::string> log_lines() const;
    /// A TCP client that has sent the key.
    [[nodiscard]] harness::Client connect() const;

private:
    static std::vector<std::string> prepare(KeyedServer& self, std::vector<std::string> args,
                                            std::string_view initial_log);
};

/// A listening socket on 127.0.0.1 that the test drives by hand.
class FakeServer {
public:
    FakeServer();
    /// Its port.
    [[nodiscard]] std::uint16_t port() const { return port_; }
    /// Accepts one connection. @throws HarnessFailure at the deadline.
    UniqueFd accept(harness::Deadline deadline);

private:
    UniqueFd listener_;
    std::uint16_t port_ = 0;
};

/// Reads from @p fd until @p bytes contains @p needle; false at the deadline or EOF.
bool read_until(int fd, std::string& bytes, std::string_view needle, harness::Deadline deadline);

/// A port on 127.0.0.1 where nothing listens (bound, then closed).
std::uint16_t closed_port();

} // namespace papaya::client_tests
