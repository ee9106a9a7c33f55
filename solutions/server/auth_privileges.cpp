// Lab 4: the key handshake and dropping root. The original read the key
// with one read(2) -- TCP may deliver 128 bytes in several segments -- and
// compared it with strncmp, whose running time tells an attacker how many
// leading bytes were right.
#include "papaya/auth_privileges.hpp"

#include "papaya/connection_io.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"
#include "papaya/todo.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace papaya {

// @lab 4: helpers for the functions below, if you want them
namespace {

std::string octal_mode(mode_t mode)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string first_line(int fd, const std::string& path)
{
    std::string text;
    std::array<char, 512> buffer{};
    // A key line is short; stop reading soon after a line's worth.
    while (text.find('\n') == std::string::npos && text.size() < 4096) {
        const std::size_t n = read_some(fd, buffer);
        if (n == 0) break;
        text.append(buffer.data(), n);
    }
    if (text.empty()) throw KeyFileError("key file " + path + " is empty");
    text.resize(std::min(text.find('\n'), text.size()));
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return text;
}

} // namespace
// @end

Key load_key_file(const std::string& path)
{
    // @lab 4(path): read the key file, refusing one that group or others can access
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw KeyFileError("cannot open key file " + path + ": " + std::strerror(errno));
    struct stat status{};
    check_syscall(::fstat(fd.get(), &status), "fstat");
    if ((status.st_mode & 077) != 0)
        throw KeyFileError("key file " + path + " is accessible by group or others (mode " +
                           octal_mode(status.st_mode) + "); run: chmod 600 " + path);
    std::string line = first_line(fd.get(), path);
    if (line.starts_with("KEY ")) line.erase(0, 4);
    if (line.size() != key_size)
        throw KeyFileError("key file " + path + ": the first line must hold exactly " + std::to_string(key_size) +
                           " characters, it holds " + std::to_string(line.size()));
    Key key{};
    std::memcpy(key.data(), line.data(), key_size);
    return key;
    // @end
}

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
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "getpwnam_r");
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
