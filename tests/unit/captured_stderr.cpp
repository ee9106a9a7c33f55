#include "captured_stderr.hpp"

#include "papaya/syscall_error.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace papaya::test {

CapturedStderr::CapturedStderr()
{
    int fds[2];
    check_syscall(::pipe2(fds, O_CLOEXEC), "pipe2");
    read_end_.reset(fds[0]);
    const UniqueFd write_end(fds[1]);
    saved_.reset(check_syscall(::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0), "fcntl"));
    check_syscall(::dup2(write_end.get(), STDERR_FILENO), "dup2");
}

void CapturedStderr::restore() noexcept
{
    if (!saved_) return;
    // Also closes the pipe's last write end, so take() sees end of file.
    ::dup2(saved_.get(), STDERR_FILENO);
    saved_.reset();
}

std::string CapturedStderr::take()
{
    restore();
    std::string captured;
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(read_end_.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (check_syscall(got, "read") == 0) return captured;
        captured.append(buffer, static_cast<std::size_t>(got));
    }
}

} // namespace papaya::test
