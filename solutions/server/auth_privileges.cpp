// Lab 4: the key handshake and dropping root. The original read the key
// with one read(2) -- TCP may deliver 128 bytes in several segments -- and
// compared it with strncmp, whose running time tells an attacker how many
// leading bytes were right.
#include "papaya/auth_privileges.hpp"

#include "papaya/connection_io.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <grp.h>
#include <pwd.h>
#include <span>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace papaya {

bool keys_equal(const Key& key, std::string_view received) noexcept
{
    // @lab 4(key, received): compare in constant time
    // Every byte is looked at whatever the earlier ones were.
    // [slide: keys_equal]
    unsigned char difference = received.size() == key.size() ? 0 : 1;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char sent = i < received.size() ? received[i] : '\0';
        difference |= static_cast<unsigned char>(key[i] ^ sent);
    }
    return difference == 0;
    // [/slide]
    // @end
}

AuthResult authenticate_client(int client, const Key& key, std::chrono::milliseconds timeout)
{
    // @lab 4(client, key, timeout): read exactly key_size bytes, however segmented, within the timeout; compare
    // One deadline for the whole key: a client that sends a byte a second
    // must not hold its process for 128 seconds (slow loris).
    // [slide: read_key]
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    Key received{};
    std::size_t have = 0;
    while (have < key_size) {
        const long n = read_some_until(client, std::span(received).subspan(have), deadline);
        if (n < 0) return AuthResult::timed_out;
        if (n == 0) return AuthResult::closed;
        have += static_cast<std::size_t>(n);
    }
    // [/slide]
    return keys_equal(key, std::string_view(received.data(), received.size())) ? AuthResult::accepted
                                                                               : AuthResult::wrong_key;
    // @end
}

UserIds lookup_user(const std::string& name)
{
    // @lab 4(name): getpwnam_r: the user's uid and gid
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    const int rc = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc != 0) throw_syscall_error("getpwnam_r", name, rc);
    if (found == nullptr) throw std::runtime_error("no such user: " + name);
    return UserIds{entry.pw_uid, entry.pw_gid};
    // @end
}

void drop_privileges(const UserIds& user)
{
    // @lab 4(user): setgroups, setgid, setuid, then check that root cannot be regained
    if (user.uid == 0) throw std::runtime_error("--user must name an unprivileged user, not root");
    // [slide: drop]
    // Order matters: once the uid is dropped we may no longer change groups.
    check_syscall(::setgroups(0, nullptr), "setgroups");
    check_syscall(::setgid(user.gid), "setgid");
    check_syscall(::setuid(user.uid), "setuid");
    if (::setuid(0) == 0 || ::seteuid(0) == 0 || (user.gid != 0 && ::setgid(0) == 0))
        throw std::runtime_error("privileges were not dropped: root could be regained");
    // [/slide]
    if (::getuid() != user.uid || ::geteuid() != user.uid || ::getgid() != user.gid || ::getegid() != user.gid)
        throw std::runtime_error("privileges were not dropped: ids differ from the user's");
    // @end
}

} // namespace papaya
