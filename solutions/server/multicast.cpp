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
#include "papaya/todo.hpp"

#include <array>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <exception>
#include <fcntl.h>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace papaya {

// @lab 3: helpers for the functions below, if you want them
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
    install_handler(SIGUSR1, SIG_IGN, false); // it is in the group that SIGUSR1 goes to
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

[[noreturn]] void run_send_role(int client, const SenderGroup& group, const std::string& log_path, std::uint64_t offset)
{
    int status = 1;
    try {
        // A SEND process never outlives its RECV, even one killed with SIGKILL.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        // [slide: send_role]
        // The acceptor ignores SIGUSR1. Whether an ignored signal pends while
        // blocked is unspecified (Linux keeps it): the default action pends.
        reset_handler(SIGUSR1);
        group.join(0);
        // [/slide]
        ChatLogReader log(log_path);
        run_sender(client, log, offset);
        status = 0;
    } catch (const std::exception& error) {
        log_message(LogLevel::error, std::string("sender: ") + error.what());
    }
    _exit(status);
}

} // namespace
// @end

SenderGroup SenderGroup::create()
{
    // @lab 3: fork the anchor (a process group of its own, leader of the SEND processes) and keep the lifeline pipe
    int ends[2];
    check_syscall(::pipe2(ends, O_CLOEXEC), "pipe2");
    UniqueFd read_end(ends[0]);
    UniqueFd write_end(ends[1]);
    // [slide: anchor]
    const pid_t pid = check_syscall(::fork(), "fork");
    if (pid == 0) {
        write_end.reset();
        ::setpgid(0, 0);
        run_anchor(read_end.get());
    }
    // Both sides set the group, so neither has to wait for the other.
    if (::setpgid(pid, pid) < 0 && errno != EACCES) throw_syscall_error("setpgid");
    // [/slide]
    return SenderGroup(pid, std::move(write_end));
    // @end
}

void SenderGroup::join(pid_t pid) const
{
    // @lab 3(pid): setpgid(pid, pgid_); an error from the parent's call only means the child got there first
    // ESRCH/EACCES for the parent's call: the child already exited, or already joined.
    if (::setpgid(pid, pgid_) < 0 && pid == 0) throw_syscall_error("setpgid");
    // @end
}

void SenderGroup::notify() const
{
    // @lab 3: SIGUSR1 to every process of the group
    // [slide: notify]
    if (::kill(-pgid_, SIGUSR1) < 0 && errno != ESRCH) throw_syscall_error("kill");
    // [/slide]
    // @end
}

void SenderGroup::terminate() const { ::kill(-pgid_, SIGTERM); }

void block_wakeup_signal()
{
    // @lab 3: block SIGUSR1 with sigprocmask
    const sigset_t set = wakeup_set();
    check_syscall(::sigprocmask(SIG_BLOCK, &set, nullptr), "sigprocmask");
    // @end
}

void run_sender(int client, ChatLogReader& log, std::uint64_t offset)
{
    // @lab 3(client, log, offset): send the log from offset to its end, wait for SIGUSR1 (sigwaitinfo), repeat
    const sigset_t set = wakeup_set();
    std::string batch;
    // [slide: run_sender]
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
    // [/slide]
    // @end
}

SenderProcess::SenderProcess(int client, const SenderGroup& group, const std::string& log_path, unsigned history)
{
    // @lab 3(client, group, log_path, history): pick the history offset (tail_offset) here in RECV, block SIGUSR1, fork; the child runs the SEND role from that offset and never returns
    // [slide: history_offset]
    // Picked here, in RECV, before it reads any line of this client: every
    // line the client sends is appended after the offset and comes back.
    // Picked in SEND, which starts while RECV already appends, it could fall
    // after the client's own line once more than `history` lines got in first.
    const std::uint64_t offset = ChatLogReader(log_path).tail_offset(history);
    // [/slide]
    // [slide: sender_fork]
    // Blocked before fork: the child starts with SIGUSR1 blocked, so no
    // wakeup can arrive before it is ready to wait for one.
    block_wakeup_signal();
    pid_ = check_syscall(::fork(), "fork");
    if (pid_ == 0) run_send_role(client, group, log_path, offset);
    group.join(pid_);
    // [/slide]
    // @end
}

SenderProcess::~SenderProcess()
{
    // @lab 3: SIGTERM the SEND process and reap it (waitpid, retrying on EINTR)
    ::kill(pid_, SIGTERM);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    // @end
}

} // namespace papaya
