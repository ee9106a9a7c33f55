#include "papaya/fd_io.hpp"

#include "papaya/syscall_error.hpp"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace papaya::io {

namespace {

bool peer_gone(int error) noexcept { return error == EPIPE || error == ECONNRESET || error == ETIMEDOUT; }

/// One write of as much of @p data as @p fd takes now.
ssize_t write_some(int fd, std::string_view data) noexcept
{
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) return ::write(fd, data.data(), data.size());
    return n;
}

} // namespace

int try_write_all(int fd, std::string_view data) noexcept
{
    while (!data.empty()) {
        const ssize_t n = write_some(fd, data);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

bool write_all(int fd, std::string_view data)
{
    const int error = try_write_all(fd, data);
    if (error == 0) return true;
    if (peer_gone(error)) return false;
    throw_syscall_error("write", {}, error);
}

std::size_t read_some(int fd, std::span<char> buffer)
{
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EINTR) continue;
        if (peer_gone(errno) || errno == EIO) return 0;
        throw_syscall_error("read");
    }
}

} // namespace papaya::io
