#pragma once
/// @file
/// @brief Lab 4: the 128-byte key handshake and dropping root. The key
/// itself and its file are given code: key_file.hpp.

#include "papaya/key_file.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace papaya {

/// Compares the key with what a client sent, in time that does not depend
/// on where they differ.
bool keys_equal(const Key& key, std::string_view received) noexcept;

/// How a client's authentication ended.
enum class AuthResult {
    accepted,  ///< The client sent the right key.
    wrong_key, ///< 128 bytes arrived and they were not the key.
    timed_out, ///< The key did not arrive before the deadline.
    closed,    ///< The client closed the connection first.
};

/// Reads exactly 128 bytes from @p client, however they are segmented,
/// until @p timeout has passed in total (not per read), and checks them.
AuthResult authenticate_client(int client, const Key& key, std::chrono::milliseconds timeout);

/// A system user's ids.
struct UserIds {
    uid_t uid; ///< User id.
    gid_t gid; ///< Primary group id.
};

/// Looks up the system user @p name. @throws std::runtime_error when there is
/// none, std::system_error("getpwnam_r NAME") when the lookup fails.
UserIds lookup_user(const std::string& name);

/// Drops root for good: supplementary groups, then gid, then uid; then checks
/// that root cannot be regained.
/// @throws std::system_error naming the call that failed, or std::runtime_error
///         if root could be regained.
void drop_privileges(const UserIds& user);

} // namespace papaya
