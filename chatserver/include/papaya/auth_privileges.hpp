#pragma once
/// @file
/// @brief Lab 4: the 128-byte key handshake and dropping root.

#include <array>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace papaya {

/// Length of the shared key, in bytes, on the wire and in the key file.
inline constexpr std::size_t key_size = 128;

/// The shared key.
using Key = std::array<char, key_size>;

/// A key file that must not be used; what() says why and how to fix it.
class KeyFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Loads the key: the first line of @p path holds exactly 128 characters,
/// optionally after `KEY ` (the original papayaChat format).
/// @throws KeyFileError when the file is readable by group or others (like
///         ssh), missing, or its first line is not a 128-character key.
Key load_key_file(const std::string& path);

/// Compares the key with what a client sent, in time that does not depend
/// on where they differ.
bool keys_equal(const Key& key, std::string_view received) noexcept;

/// How a client's authentication ended.
enum class AuthResult {
    accepted,   ///< The client sent the right key.
    wrong_key,  ///< 128 bytes arrived and they were not the key.
    timed_out,  ///< The key did not arrive before the deadline.
    closed,     ///< The client closed the connection first.
};

/// Reads exactly 128 bytes from @p client, however they are segmented,
/// until @p timeout has passed in total (not per read), and checks them.
AuthResult authenticate_client(int client, const Key& key, std::chrono::milliseconds timeout);

/// A system user's ids.
struct UserIds {
    uid_t uid;  ///< User id.
    gid_t gid;  ///< Primary group id.
};

/// Looks up the system user @p name. @throws std::runtime_error when there is none.
UserIds lookup_user(const std::string& name);

/// Drops root for good: supplementary groups, then gid, then uid; then checks
/// that root cannot be regained.
/// @throws std::system_error naming the call that failed, or std::runtime_error
///         if root could be regained.
void drop_privileges(const UserIds& user);

} // namespace papaya
