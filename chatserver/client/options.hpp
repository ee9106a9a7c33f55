#pragma once
/// @file
/// @brief The client's settings: command line (CLI11), the config file in the
/// user's config folder, and the key from the environment.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "papaya/key_file.hpp"

namespace papaya::client {

/// What the options read from the process environment (injected, for tests).
struct Environment {
    std::string xdg_config_home;    ///< $XDG_CONFIG_HOME ("" when unset).
    std::string home;               ///< $HOME ("" when unset).
    std::string user;               ///< $USER, else the login name of our uid ("" when unknown).
    std::optional<std::string> key; ///< $PAPAYA_KEY, when set and not empty.

    /// The environment of this process.
    static Environment current();
};

/// Everything the client is told.
struct ClientOptions {
    std::string host = "127.0.0.1";          ///< Server host name or IPv4/IPv6 address.
    std::uint16_t port = 7722;               ///< Server port.
    std::string name;                        ///< Our name: lines are sent as "name: text".
    std::string key_file;                    ///< Key file to read ("" when none).
    std::optional<std::string> key_text;     ///< The key itself, from PAPAYA_KEY.
    std::string config;                      ///< The config file that was read ("" when none).
    bool line_mode = false;                  ///< --line: line mode even in a terminal.
    std::optional<std::size_t> tail;         ///< --tail N: print the history's last N lines, exit.
    std::optional<std::string> send;         ///< --send TEXT: send one line, exit once it is stored.
    std::chrono::milliseconds timeout{5000}; ///< For connecting and for an echo to come back.
    std::chrono::milliseconds settle{500};   ///< Quiet time that ends the history.
    bool mouse = true;                       ///< Take the mouse wheel in the full-screen interface.
    std::size_t max_line = 4096;             ///< Longest line sent, in bytes ("name: text" without `\n`).
};

/// What parse_client_options() decided.
struct ParsedClientOptions {
    /// The options; empty when the program must exit with exit_code instead.
    std::optional<ClientOptions> options;
    /// 0 after --help, 2 after a usage error (already reported).
    int exit_code = 0;
};

/// The config file read when --config is not given:
/// `$XDG_CONFIG_HOME/papaya/config`, else `$HOME/.config/papaya/config`
/// ("" when neither variable is set).
std::string default_config_path(const Environment& env);

/// Parses the command line, then the config file (--config FILE, which must
/// exist, else the default one if it exists): `NAME value` lines, names HOST,
/// PORT, KEY_FILE, NAME, MOUSE; the command line wins over the file. The key
/// comes from --key-file, else $PAPAYA_KEY, else KEY_FILE of the config file
/// (a relative KEY_FILE is relative to the config file's folder, `~/` is $HOME).
/// Help goes to @p out; usage errors go to @p err and give exit code 2.
ParsedClientOptions parse_client_options(int argc, const char* const* argv, const Environment& env, std::ostream& out,
                                         std::ostream& err);

/// Why @p name cannot be a name ("" when it can): it must be 1 to 32 bytes of
/// UTF-8 without control characters, `:` or blanks at either end.
std::string name_problem(std::string_view name);

/// The key to send: from key_text (128 characters, `KEY ` prefix allowed),
/// else from key_file (load_key_file(): mode 0600 required), else none.
/// @throws KeyFileError saying what is wrong and how to fix it.
std::optional<Key> load_client_key(const ClientOptions& options);

} // namespace papaya::client
