#pragma once
/// @file
/// @brief How the service log names a client and the outcome of its authentication,
/// the same way in every engine (processes, threads, event loop).

#include "papaya/auth_privileges.hpp"

#include <string>

namespace papaya {

/// The address of the peer of socket @p fd ("127.0.0.1", "::1"), or
/// "unknown peer" when it cannot be had (the peer may be gone already).
std::string peer_name(int fd);

/// @p result in words, for the service log: "wrong key", "no key before the timeout", ...
const char* describe(AuthResult result);

} // namespace papaya
