#pragma once
/// @file
/// @brief The command-line contract shared by every server in this repository
/// (see chatserver/PROTOCOL.md), parsed with CLI11, with `--config FILE`.

#include "papaya/stages.hpp"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace papaya {

/// Default TCP port of the chat service.
inline constexpr std::uint16_t default_port = 7722;

/// Everything a server is told on its command line or in its config file.
struct ServerOptions {
    std::uint16_t port = default_port; ///< TCP port; 0 picks a free one.
    std::string bind;                  ///< Address to listen on; empty: every IPv4 and IPv6 address.
    std::string log = "chat.log";      ///< The chat log (created when missing).
    std::string key_file;              ///< Key file; empty: no authentication.
    unsigned history = 7;              ///< Lines of history sent after authentication.
    std::string user;                  ///< System user to run as when started as root.
    bool allow_root = false;           ///< Allow running as root without `user`.
    std::string pidfile;               ///< Where to write the service's pid; empty: nowhere.
    unsigned max_clients = 1024;       ///< Bound on connected clients (process clusters).
    unsigned auth_timeout_ms = 1000;   ///< Time a client has to send its whole key.
    std::size_t max_line = 4096;       ///< Longest accepted line, in bytes, without its `\n`.
    bool daemon = false;               ///< Detach and log to syslog.
    int stage = default_stage;         ///< Behave as the server of this lab (labs/stages.json's default).
    std::string config;                ///< The config file that was read, if any.
};

/// What parse_server_options() decided.
struct ParsedOptions {
    /// The options to run with; empty when the program must exit instead
    /// (after `--help`, or a usage error that was already reported).
    std::optional<ServerOptions> options;
    /// The exit status to use when `options` is empty (0 after `--help`).
    int exit_code = 0;
};

/// Parses the command line, reading `--config FILE` first: flags given on
/// the command line override the file. Help goes to @p out, errors to @p err.
///
/// Usage errors (an unknown option, a value out of range, a config file that
/// is missing, has a line without a value, an unknown or repeated name, or a
/// bad value, each named with its line) are reported on @p err followed by
/// "Run with --help for more information." and give exit_code 2. Numbers are
/// decimal only. Config booleans (ALLOW_ROOT, DAEMON) are true/false/yes/no/1/0.
/// It never exits the process itself.
/// @param argc the number of arguments, as given to main().
/// @param argv the arguments, as given to main() (argv[0] is the program).
/// @param program the name shown in `--help` (e.g. "papayad").
/// @param description one line shown at the top of `--help`.
/// @param out where `--help` is printed (std::cout in a server).
/// @param err where usage errors are printed (std::cerr in a server).
ParsedOptions parse_server_options(int argc, const char* const* argv, const std::string& program,
                                   const std::string& description, std::ostream& out, std::ostream& err);

} // namespace papaya
