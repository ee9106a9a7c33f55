// Lab 0: a blocked read(2) interrupted by a signal. The one-client-at-a-time
// server serves its client with SIGCHLD unblocked and caught by a handler
// installed without SA_RESTART (the handler only wakes the accept loop's
// ppoll): a SIGCHLD that arrives while it waits in read(2) for the client
// makes that read fail with EINTR. That is no error of the connection: the
// read must be retried. Later stages never see it (their client processes
// block or ignore the signals that reach them), so this is where read_some's
// EINTR retry is graded.
#include <gtest/gtest.h>

#include <sys/syscall.h>

#include <csignal>
#include <cstdint>
#include <fstream>

#include "lab0.hpp"

namespace papaya::lab0 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;

constexpr int interruptions = 20;
constexpr std::size_t chunk_size = 1000;

/// The system calls a server may wait in for its client's next bytes.
bool waits_for_input(long call)
{
    for (const long waiting : {long{SYS_read}, long{SYS_readv}, long{SYS_recvfrom}, long{SYS_recvmsg}, long{SYS_ppoll},
                               long{SYS_pselect6}, long{SYS_epoll_pwait}}) {
        if (call == waiting) return true;
    }
#if defined(SYS_poll) && defined(SYS_select) && defined(SYS_epoll_wait)
    return call == SYS_poll || call == SYS_select || call == SYS_epoll_wait;
#else
    return false;
#endif
}

/// True once @p pid sleeps (state S) in a system call that waits for input
/// (/proc/PID/syscall): for a one-client server that has echoed everything,
/// blocked in read(2) for more. A signal sent a moment earlier, while it still
/// returns from its write, would be handled before the read and interrupt nothing.
bool blocked_reading(pid_t pid)
{
    const auto stat = harness::read_proc_stat(pid);
    if (!stat || stat->state != 'S') return false;
    std::ifstream syscall_file("/proc/" + std::to_string(pid) + "/syscall");
    if (!syscall_file) return true; // not ours to read (ptrace rules): the state must do
    long call = -1;
    syscall_file >> call;
    return waits_for_input(call);
}

/// True while @p signo is pending for @p pid (SigPnd or ShdPnd of
/// /proc/PID/status). Once it is not, the process has taken it, and the
/// read it was blocked in has returned: sending data earlier could let that
/// read find the data first and return it, interrupted by nothing.
bool pending(pid_t pid, int signo)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    const std::uint64_t bit = std::uint64_t{1} << (signo - 1);
    for (std::string line; std::getline(status, line);) {
        if ((line.starts_with("SigPnd:") || line.starts_with("ShdPnd:")) &&
            (std::stoull(line.substr(7), nullptr, 16) & bit) != 0)
            return true;
    }
    return false;
}

/// True when @p signo has a handler in @p pid and is not blocked: only then
/// can it interrupt a read (a blocked one stays pending, a default or ignored
/// SIGCHLD wakes nothing), and only then does the test wait for it to be taken.
bool caught_and_unblocked(pid_t pid, int signo)
{
    const auto status = harness::read_proc_status(pid);
    const std::uint64_t bit = std::uint64_t{1} << (signo - 1);
    return status && (status->sig_caught & bit) != 0 && (status->sig_blocked & bit) == 0;
}

TEST_F(Lab0, EchoSurvivesSignalsThatInterruptRead)
{
    declare_points(2, "A signal caught by a handler installed without SA_RESTART (your SIGCHLD handler, there to "
                      "wake ppoll) makes a blocked read(2) return -1 with errno EINTR: that is no error of the "
                      "connection, read again (connection_io.cpp: read_some; `strace -e trace=read` shows "
                      "`= -1 EINTR`).");
    PAPAYA_REQUIRE_CAPABILITY("processes", "signals the process that serves the client, blocked in read(2); a Go "
                                           "server retries EINTR inside its runtime");
    start_server();
    auto client = connect("a client");
    auto rng = grader::test_rng();
    step("send " + std::to_string(chunk_size) +
         " random bytes and read them back: the server now waits in "
         "read(2) for more");
    const std::string first = grader::random_bytes(rng, chunk_size);
    client.send(first);
    grader::expect_bytes(first, client.read_exact(first.size(), settle(5s), "the echo"), "the echo");
    if (HasFailure()) return;
    step(std::to_string(interruptions) + " times: wait until the server process sleeps in read(2) (/proc/" +
         std::to_string(server().pid()) + "/stat and /syscall), send it SIGCHLD and wait until it has taken it, " +
         "then send " + std::to_string(chunk_size) + " random bytes and expect them back within " +
         std::to_string(settle(5s).count()) + " ms");
    for (int i = 1; i <= interruptions; ++i) {
        ASSERT_TRUE(harness::poll_until([&] { return blocked_reading(server().pid()); }, harness::Deadline{settle(5s)}))
            << "the server process did not wait in read(2) for the client within " << settle(5s).count()
            << " ms (before SIGCHLD number " << i << ")";
        ASSERT_EQ(::kill(server().pid(), SIGCHLD), 0) << "kill(SIGCHLD) failed: the server is gone";
        if (caught_and_unblocked(server().pid(), SIGCHLD)) {
            ASSERT_TRUE(harness::poll_until([&] { return !pending(server().pid(), SIGCHLD); },
                                            harness::Deadline{settle(5s)}))
                << "SIGCHLD number " << i << " was still pending after " << settle(5s).count() << " ms";
        }
        const std::string chunk = grader::random_bytes(rng, chunk_size);
        const std::string what = "the echo of the bytes sent after SIGCHLD number " + std::to_string(i);
        if (!client.try_send(chunk)) FAIL() << "the server closed the connection after SIGCHLD number " << i;
        grader::expect_bytes(chunk, client.read_exact(chunk.size(), settle(5s), what), what);
        if (HasFailure()) return;
    }
}

} // namespace
} // namespace papaya::lab0
