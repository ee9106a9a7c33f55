#pragma once
/// @file
/// @brief The clean stop every stage promises (PROTOCOL.md section 11): SIGTERM,
/// then exit status 0 and no process left, within 2 s.

#include <span>

#include "papaya/harness/client.hpp"
#include "papaya/harness/server_process.hpp"

namespace papaya::grader {

/// Sends SIGTERM to @p server, as a numbered step, and fails the test unless,
/// within 2 s (times the settle factor), every process of it is gone, it
/// exited with status 0, and each of @p clients was closed (bytes still in
/// flight before the close are allowed).
void expect_clean_stop(harness::ServerProcess& server, std::span<harness::Client> clients = {});

} // namespace papaya::grader
