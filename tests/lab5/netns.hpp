#pragma once
/// @file
/// @brief Lab 5's network namespace: whether one can be made here, the server
/// command that runs inside a new one, and clients connected from inside it.

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace papaya::lab5 {

/// The papaya_lab5_netns wrapper this build made.
const char* netns_program();

/// Empty when this process may create a network namespace with IPv6 (tried
/// in a child); else why not, for an N/A reason.
std::string netns_unavailable_reason();

/// PAPAYA_SERVER prefixed with netns_program(), quoted for the harness.
/// @throws HarnessFailure when a word of the command holds a single quote.
std::string netns_server_command();

/// Runs @p action on a thread that first joined the network namespace of
/// process @p pid (setns: only that thread moves, sockets it creates stay in
/// that namespace and can be used from any thread). Exceptions are rethrown here.
void run_in_netns_of(pid_t pid, const std::function<void()>& action);

} // namespace papaya::lab5
