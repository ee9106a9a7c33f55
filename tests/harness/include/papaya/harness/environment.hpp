#pragma once
/// @file
/// @brief What the harness learns from its environment: the server under test
/// (PAPAYA_SERVER), its kind (PAPAYA_SERVER_KIND) and whether we are root.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace papaya::harness {

/// How the server under test is built, for tests that look at its processes.
enum class ServerKind {
    processes,   ///< A process cluster per client (papayad and the labs' servers).
    goroutines,  ///< One process (the Go reference server).
};

/// Splits @p text into words like a POSIX shell without expansions: blanks
/// separate words, '...' and "..." quote, a backslash escapes the next byte.
/// @throws HarnessFailure on an unterminated quote or trailing backslash.
std::vector<std::string> split_shell_words(std::string_view text);

/// The command that starts the server under test: PAPAYA_SERVER split into words
/// (e.g. "/path/papayad" or "/path/goref --stage 6").
/// @throws HarnessFailure when PAPAYA_SERVER is unset or empty.
std::vector<std::string> server_command();

/// PAPAYA_SERVER_KIND: "processes" (default when unset) or "goroutines".
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

/// In a test body: skips the test, saying why, when the server under test has
/// no process cluster per client (PAPAYA_SERVER_KIND=goroutines).
/// Usage: `PAPAYA_REQUIRE_PROCESS_SERVER("counts RECV processes");`
#define PAPAYA_REQUIRE_PROCESS_SERVER(why)                                                          \
    if (::papaya::harness::server_kind() != ::papaya::harness::ServerKind::goroutines) {             \
    } else                                                                                          \
        GTEST_SKIP() << "not applicable to a goroutine server: " << (why)

/// In a test body: skips the test, saying why, unless it runs as root.
#define PAPAYA_REQUIRE_ROOT(why)                                                                    \
    if (::papaya::harness::running_as_root()) {                                                     \
    } else                                                                                          \
        GTEST_SKIP() << "needs root: " << (why)
