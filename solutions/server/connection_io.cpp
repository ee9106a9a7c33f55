// Lab 0: reading and writing a socket. read(2) may return fewer bytes than
// asked (a short read) and write(2) may take fewer than given (a short
// write); both may be interrupted by a signal (EINTR). Every loop here exists
// for one of those three facts.
#include "papaya/connection_io.hpp"

#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <array>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace papaya {

// @lab 0: helpers for the functions below, if you want them
namespace {

bool peer_gone(int error) { return error == ECONNRESET || error == EPIPE || error == ETIMEDOUT; }

} // namespace
// @end

std::size_t read_some(int fd, std::span<char> buffer)
{
    // @lab 0(fd, buffer): read(2) up to buffer.size() bytes; retry on EINTR; a reset peer is end of file (0)
    for (;;) {
        // [slide: read_some]
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EINTR) continue;
        if (peer_gone(errno)) return 0;
        throw_syscall_error("read");
        // [/slide]
    }
    // @end
}

long read_some_until(int fd, std::span<char> buffer, std::chrono::steady_clock::time_point deadline)
{
    // @lab 0(fd, buffer, deadline): poll(2) until readable or the deadline (-1), then read_some
    using namespace std::chrono;
    for (;;) {
        // Rounded up: a truncated timeout wakes a fraction of a millisecond early.
        const auto left = ceil<milliseconds>(deadline - steady_clock::now()).count();
        if (left <= 0) return -1;
        pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left));
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw_syscall_error("poll");
        }
        if (ready == 0) continue; // re-check the deadline: poll may wake early
        return static_cast<long>(read_some(fd, buffer));
    }
    // @end
}

bool write_all(int fd, std::string_view data)
{
    // @lab 0(fd, data): send(2) every byte (MSG_NOSIGNAL), looping over short writes and EINTR; false when the peer is gone
    // [slide: write_all]
    while (!data.empty()) {
        // MSG_NOSIGNAL: a vanished peer is an EPIPE to handle, not a SIGPIPE that kills us.
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (peer_gone(errno)) return false;
            throw_syscall_error("write");
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    // [/slide]
    return true;
    // @end
}

void echo_until_eof(int fd)
{
    // @lab 0(fd): read and write back every byte until end of file, then shutdown(SHUT_WR)
    // [slide: echo]
    std::array<char, 16 * 1024> buffer{};
    for (;;) {
        const std::size_t n = read_some(fd, buffer);
        if (n == 0) break;
        if (!write_all(fd, std::string_view(buffer.data(), n))) return;
    }
    // Half-close: the peer finished sending; tell it we have finished too.
    ::shutdown(fd, SHUT_WR);
    // [/slide]
    // @end
}

} // namespace papaya
