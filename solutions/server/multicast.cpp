// Lab 3: multicast with SIGUSR1. Signals of one kind do not queue: ten
// SIGUSR1s sent while a process is busy arrive as one. The original
// papayaChat paused, read 4 KiB and paused again, so the second of two
// messages sent back to back could wait for a third. Here the SEND process
// keeps SIGUSR1 blocked (a wakeup that arrives while it is busy stays
// pending), waits for it with sigwaitinfo(2), and after every wakeup sends
// everything up to the end of the log.
#include "papaya/multicast.hpp"

#include "papaya/connection_io.hpp"
#include "papaya/service_log.hpp"
#include "papaya/signals.hpp"
#include "papaya/syscall_error.hpp"

#include <array>
#include <cerrno>
#include <climits>
#include <csignal>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace papaya {

namespace {

sigset_t wakeup_set()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    return set;
}

/// The anchor keeps nothing but its end of the lifeline: an inherited
/// listening socket would keep the port open after the acceptor is killed.
void close_all_but(int keep)
{
    if (::dup2(keep, 3) < 0) _exit(1);
    if (::close_range(4, UINT_MAX, 0) < 0) {
        for (int fd = 4; fd < 1024; ++fd) ::close(fd);
    }
}

[[noreturn]] void run_anchor(int lifeline)
{
    install_handler(SIGUSR1, SIG_IGN, false);  // it is in the group that SIGUSR1 goes to
    reset_handler(SIGTERM);
    reset_handler(SIGINT);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    close_all_but(lifeline);
    std::array<char, 64> ignored{};
    for (;;) {
        const ssize_t n = ::read(3, ignored.data(), ignored.size());
        if (n == 0 || (n < 0 && errno != EINTR)) _exit(0);
    }
}

} // namespace

SenderGroup SenderGroup::create()
{
    int ends[2];
    check_syscall(::pipe2(ends, O_CLOEXEC), "pipe2");
    UniqueFd read_end(ends[0]);
    UniqueFd write_end(ends[1]);
    const pid_t pid = check_syscall(::fork(), "fork");
    if (pid == 0) {
        write_end.reset();
        ::setpgid(0, 0);
        run_anchor(read_end.get());
    }
    // Both sides set the group, so neither has to wait for the other.
    if (::setpgid(pid, pid) < 0 && errno != EACCES) throw_syscall_error("setpgid");
    return SenderGroup(pid, std::move(write_end));
}

void SenderGroup::join(pid_t pid) const
{
    // ESRCH/EACCES for the parent's call: the child already exited, or already joined.
    if (::setpgid(pid, pgid_) < 0 && pid == 0) throw_syscall_error("setpgid");
}

void SenderGroup::notify() const
{
    if (::kill(-pgid_, SIGUSR1) < 0 && errno != ESRCH) throw_syscall_error("kill");
}

void SenderGroup::terminate() const { ::kill(-pgid_, SIGTERM); }

void block_wakeup_signal()
{
    const sigset_t set = wakeup_set();
    check_syscall(::sigprocmask(SIG_BLOCK, &set, nullptr), "sigprocmask");
}

void run_sender(int client, ChatLogReader& log, std::uint64_t offset)
{
    const sigset_t set = wakeup_set();
    std::string batch;
    for (;;) {
        // Everything up to the end of the log, however many wakeups it took.
        for (;;) {
            batch.clear();
            offset = log.read_lines_from(offset, batch);
            if (batch.empty()) break;
            if (!write_all(client, batch)) return;
        }
        while (::sigwaitinfo(&set, nullptr) < 0) {
            if (errno != EINTR) throw_syscall_error("sigwaitinfo");
        }
    }
}

} // namespace papaya
