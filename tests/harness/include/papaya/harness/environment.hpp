#pragma once
/// @file
/// @brief What the harness learns from its environment: the server under test
/// (PAPAYA_SERVER), its kind (PAPAYA_SERVER_KIND) and whether we are root.
/// The test macros that skip on these facts are in skip.hpp.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace papaya::harness {

/// How the server under test is built, for tests that look at its processes.
enum class ServerKind {
    processes,  ///< A process cluster per client (papayad and the labs' servers).
    goroutines, ///< One process (the Go reference server).
    threads,    ///< One process, two threads per client (papayad --stage 7).
    event_loop, ///< One process, one thread (papayad --stage 8).
};

/// Splits @p text into words like process::split_words (a POSIX shell without
/// expansions: blanks separate words, '...' and "..." quote, a backslash
/// escapes the next byte), naming PAPAYA_SERVER when it fails.
/// @throws HarnessFailure on an unterminated quote or trailing backslash.
std::vector<std::string> split_shell_words(std::string_view text);

/// The command that starts the server under test: PAPAYA_SERVER split into words
/// (e.g. "/path/papayad" or "/path/goref --stage 6").
/// @throws HarnessFailure when PAPAYA_SERVER is unset or empty.
std::vector<std::string> server_command();

/// PAPAYA_SERVER_KIND: "processes" (default when unset), "goroutines",
/// "threads" or "event-loop".
/// @throws HarnessFailure for any other value.
ServerKind server_kind();

/// The key of an authenticated run: PAPAYA_AUTH_KEY (128 bytes), or nothing
/// when it is unset or empty. With a key, every ServerProcess is started with
/// `--key-file` holding it, and every Client sends it as its first bytes (the
/// grader sets it for regression suites that must authenticate).
/// @throws HarnessFailure when it is set but not 128 bytes long.
std::optional<std::string> configured_key();

/// True when the effective uid is 0.
bool running_as_root();

/// True when a TCP socket can be bound to ::1 on this machine.
bool ipv6_loopback_available();

} // namespace papaya::harness
