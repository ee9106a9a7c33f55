#pragma once
/// @file
/// @brief Chat-level helpers shared by the integration tests: unique lines,
/// joining, synchronising on a marker line, reading the chat log.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "papaya/harness/harness.hpp"

namespace papaya::integration {

using harness::Client;
using harness::Deadline;
using harness::Family;
using harness::ServerProcess;
using harness::TempDir;

/// A chat line no other test or run produces: "<who>-<token>: <text>-<token>",
/// padded with 'x' to at least @p min_length bytes.
std::string unique_line(std::string_view who, std::size_t min_length = 0);

/// Reads lines from @p client and fails unless they are exactly @p lines, in order.
void expect_lines(Client& client, const std::vector<std::string>& lines,
                  std::chrono::milliseconds timeout = harness::default_read_timeout);

/// Reads lines until one equals @p line (consumed) and returns those before it.
/// @throws HarnessFailure on timeout, naming @p line.
std::vector<std::string> read_until_line(Client& client, std::string_view line,
                                         std::chrono::milliseconds timeout = harness::default_read_timeout);

/// Connects (sending @p key first when it is not empty), sends a unique line and
/// reads until it comes back. Afterwards the client is registered: it receives
/// every later record, and nothing from before is left unread.
/// @param hello if not null, gets the line it sent (now the client's last record read).
Client join(std::uint16_t port, std::string_view key = {}, Family family = Family::ipv4, std::string* hello = nullptr);

/// Joins @p count clients, then synchronises them: afterwards each receives
/// exactly the records appended later.
std::vector<Client> join_many(std::uint16_t port, std::size_t count, std::string_view key = {},
                              Family family = Family::ipv4);

/// Sends a unique line from @p from and reads every client in @p everyone up to
/// it (so each has consumed everything before it). Returns the line.
std::string sync(Client& from, const std::vector<Client*>& everyone);

/// Sends one line from @p from and checks that each of @p readers receives
/// exactly that line next.
void expect_delivered(Client& from, const std::vector<Client*>& readers, std::string_view who = "msg");

/// Waits until the server has closed its end of the connection from client
/// port @p client_port (every process holding it closed it).
void expect_server_closed(std::uint16_t server_port, std::uint16_t client_port,
                          std::chrono::milliseconds within = std::chrono::seconds{5});

/// The chat log's records, each without its `\n`; fails when the file does
/// not end in `\n` (a partial record).
std::vector<std::string> log_lines(const std::filesystem::path& log);

/// Appends @p fragment (no `\n`) to the chat log under flock(LOCK_EX), as a
/// writer killed in the middle of its write(2) leaves it: a torn last record.
void append_torn_record(const std::filesystem::path& log, std::string_view fragment);

/// A server with a fresh key and its own chat log.
struct KeyedServer {
    /// Writes a random key to a 0600 file in a 0711 directory (traversable after
    /// a privilege drop), optionally pre-writes the chat log there, then starts
    /// the server with `--key-file` and `--log` in that directory plus @p args.
    explicit KeyedServer(std::vector<std::string> args = {}, std::string_view initial_log = {},
                         const harness::LaunchOptions& options = {});

    TempDir dir;               ///< Holds the key file and the chat log.
    std::string key;           ///< The 128-byte key.
    std::filesystem::path log; ///< The chat log.
    ServerProcess server;      ///< The running server.

private:
    static std::vector<std::string> prepare(TempDir& dir, const std::string& key, const std::filesystem::path& log,
                                            std::string_view initial_log, std::vector<std::string> args);
};

/// The server's processes without zombies.
std::vector<harness::ProcStat> live_processes(ServerProcess& server);

} // namespace papaya::integration
