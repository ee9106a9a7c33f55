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

// TODO(lab 0): helpers for the functions below, if you want them

std::size_t read_some(int fd, std::span<char> buffer)
{
    todo(0, "read(2) up to buffer.size() bytes; retry on EINTR; a reset peer is end of file (0)", fd, buffer);
}

long read_some_until(int fd, std::span<char> buffer, std::chrono::steady_clock::time_point deadline)
{
    todo(0, "poll(2) until readable or the deadline (-1), then read_some", fd, buffer, deadline);
}

bool write_all(int fd, std::string_view data)
{
    todo(0, "send(2) every byte (MSG_NOSIGNAL), looping over short writes and EINTR; false when the peer is gone", fd, data);
}

void echo_until_eof(int fd)
{
    todo(0, "read and write back every byte until end of file, then shutdown(SHUT_WR)", fd);
}

} // namespace papaya
