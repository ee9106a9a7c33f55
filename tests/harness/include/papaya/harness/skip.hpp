#pragma once
/// @file
/// @brief Skipping a GoogleTest test, saying why, when the environment cannot
/// run it. The only part of the harness that needs GoogleTest.

#include <gtest/gtest.h>

#include "papaya/harness/environment.hpp"

/// In a test body: skips the test, saying why, when the server under test has
/// no process cluster per client (PAPAYA_SERVER_KIND other than processes:
/// goroutines, threads, an event loop).
/// Usage: `PAPAYA_REQUIRE_PROCESS_SERVER("counts RECV processes");`
#define PAPAYA_REQUIRE_PROCESS_SERVER(why)                                                                             \
    if (::papaya::harness::server_kind() == ::papaya::harness::ServerKind::processes) {                                \
    } else GTEST_SKIP() << "not applicable to a server without a process per client: " << (why)

/// In a test body: skips the test, saying why, unless it runs as root.
#define PAPAYA_REQUIRE_ROOT(why)                                                                                       \
    if (::papaya::harness::running_as_root()) {                                                                        \
    } else GTEST_SKIP() << "needs root: " << (why)
