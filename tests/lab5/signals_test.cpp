// Lab 5: signals, portably. A handler installed with sigaction must stay
// installed (the original's uninitialised `struct sigaction` could carry
// SA_RESETHAND, so the second SIGUSR1 killed the process); every read(2) and
// write(2) may return EINTR or a short count while signals arrive; and a peer
// that resets its connection must not kill the server with SIGPIPE.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <exception>
#include <thread>

#include "chat_helpers.hpp"
#include "portability_test.hpp"

namespace papaya::lab5 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using harness::Client;

constexpr int signals_per_kind = 5000;

std::string pid_list(const std::vector<pid_t>& pids)
{
    std::string text;
    for (pid_t pid : pids) text += (text.empty() ? "" : " ") + std::to_string(pid);
    return text;
}

/// Fails, naming them, when some of @p pids are no longer alive.
void expect_all_alive(const std::vector<pid_t>& pids, const std::string& after)
{
    std::vector<pid_t> dead;
    for (pid_t pid : pids) {
        if (!alive(pid)) dead.push_back(pid);
    }
    EXPECT_TRUE(dead.empty()) << "these processes of the service died " << after << ": " << pid_list(dead) << " (of "
                              << pid_list(pids) << ")";
}

TEST_F(Lab5, HandlersSurviveThousandsOfSignals)
{
    declare_points(3, "A process of your server died of a signal it should survive, or stopped reaping. "
                      "`strace -f -e trace=rt_sigaction,kill` shows every disposition installed, with its flags, "
                      "and which signal killed whom; SigCgt/SigIgn in /proc/PID/status show what is installed "
                      "before and after the first signal. Look up each flag you see in sigaction(2).");
    start_keyed_server();
    step("join client A (key, a line, read back)");
    auto a = integration::join(server().port(), key);
    const auto without_b = live_pids();
    step("join client B and synchronise A and B");
    auto b = integration::join(server().port(), key);
    integration::sync(b, {&a, &b});
    const auto everyone = live_pids();
    std::vector<pid_t> only_b; // the processes that serve B alone (none in a one-process server)
    for (pid_t pid : everyone) {
        if (std::find(without_b.begin(), without_b.end(), pid) == without_b.end()) only_b.push_back(pid);
    }
    step("send " + std::to_string(signals_per_kind) + " SIGUSR1 and " + std::to_string(signals_per_kind) +
         " SIGCHLD, interleaved, to each process of the service: " + pid_list(everyone));
    for (int i = 0; i < signals_per_kind; ++i) {
        for (pid_t pid : everyone) {
            ::kill(pid, SIGUSR1);
            ::kill(pid, SIGCHLD);
        }
    }
    step("client A sends a line; expect A and B to receive it, and every process to be alive");
    integration::expect_delivered(a, {&a, &b}, "after-storm");
    expect_all_alive(everyone, "after the signals");
    if (HasFailure()) return;
    step("join client C; A sends a line; expect A, B and C to receive it");
    auto c = integration::join(server().port(), key);
    integration::sync(c, {&a, &b, &c});
    integration::expect_delivered(a, {&a, &b, &c}, "to-c");
    step("client B disconnects; expect the processes that served only B (" + pid_list(only_b) +
         ") to be gone, zombies included, within " + std::to_string(settle(5s).count()) +
         " ms, with no new connection: the acceptor's SIGCHLD handler must still be installed");
    b.close();
    std::vector<pid_t> remaining;
    harness::poll_until(
        [&] {
            remaining.clear();
            for (const auto& process : server().processes()) {
                if (std::find(only_b.begin(), only_b.end(), process.pid) != only_b.end())
                    remaining.push_back(process.pid);
            }
            return remaining.empty();
        },
        harness::Deadline(settle(5s)));
    EXPECT_TRUE(remaining.empty()) << "these processes of client B were still there (alive or zombie, not reaped) "
                                   << settle(5s).count() << " ms after it disconnected: " << pid_list(remaining) << "\n"
                                   << harness::describe(server().processes());
    step("client A sends a line; expect A and C to receive it");
    integration::expect_delivered(a, {&a, &c}, "after-b-left");
}

/// @p count bytes of chat lines of @p line_length bytes each (with the `\n`),
/// random printable text, numbered.
std::string storm_lines(std::size_t count, std::size_t line_length)
{
    auto rng = grader::test_rng();
    std::string text;
    text.reserve(count);
    for (std::size_t n = 0; text.size() < count; ++n) {
        std::string line = "storm-" + std::to_string(n) + ": ";
        const std::string noise = grader::random_bytes(rng, line_length - 1 - line.size());
        for (const char byte : noise) line += static_cast<char>('!' + static_cast<unsigned char>(byte) % 94);
        text += line + "\n";
    }
    return text;
}

/// Sends SIGUSR1 and SIGCHLD to each of @p pids in turn until @p stop.
void signal_storm(const std::vector<pid_t>& pids, const std::atomic<bool>& stop, std::atomic<long>& sent)
{
    while (!stop.load()) {
        for (pid_t pid : pids) {
            ::kill(pid, SIGUSR1);
            ::kill(pid, SIGCHLD);
        }
        sent += static_cast<long>(2 * pids.size());
        std::this_thread::yield(); // let the service run between rounds
    }
}

TEST_F(Lab5, ChatBytesIntactUnderSignalStorm)
{
    declare_points(3, "If a process died in the storm, fix HandlersSurviveThousandsOfSignals first. Otherwise: a "
                      "signal caught by a handler installed without SA_RESTART makes a blocked read(2)/write(2) "
                      "return -1 with EINTR, or a short count: retry on EINTR and write the rest after a short "
                      "write, in the RECV and the SEND process (`strace -f` shows `= -1 EINTR` and writes that "
                      "return less than asked).");
    start_keyed_server();
    step("join clients A and B (key, a line, read back) and synchronise them");
    auto clients = integration::join_many(server().port(), 2, key);
    const auto pids = live_pids();
    const std::string payload = storm_lines(2 << 20, 1024);
    std::atomic<bool> stop{false};
    std::atomic<long> sent{0};
    step("while a thread sends SIGUSR1 and SIGCHLD to each process of the service (" + pid_list(pids) +
         ") in a loop: A sends 2 MiB of 1024-byte lines in chunks of 1000, 4096, 333 and 65536 bytes, reading "
         "what comes back, and B reads; expect both to receive exactly those lines");
    std::string b_got;
    std::exception_ptr b_error;
    std::thread reader([&] {
        try {
            b_got = clients[1].read_exact(payload.size(), settle(60s), "the 2 MiB A sent");
        } catch (...) {
            b_error = std::current_exception();
        }
    });
    std::thread storm([&] { signal_storm(pids, stop, sent); });
    const std::array<std::size_t, 4> chunks{1000, 4096, 333, 65536};
    const auto quiet = settle(10s);
    const auto transfer = grader::send_while_reading(clients[0], payload, chunks, payload.size(), settle(60s), quiet);
    reader.join();
    stop = true;
    storm.join();
    step("(" + std::to_string(sent.load()) + " signals were sent during the transfer)");
    EXPECT_EQ(grader::describe_end(transfer, quiet), "");
    grader::expect_bytes(payload, transfer.received, "what client A received (its own lines)");
    if (b_error) std::rethrow_exception(b_error);
    grader::expect_bytes(payload, b_got, "what client B received");
    expect_all_alive(pids, "during the signal storm");
}

/// Closes @p client with a reset (SO_LINGER with a zero timeout): the server's
/// next write to it fails with EPIPE, and raises SIGPIPE unless ignored.
void reset(Client& client)
{
    const linger abort_on_close{.l_onoff = 1, .l_linger = 0};
    if (::setsockopt(client.fd(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close) != 0)
        harness::fail("setsockopt(SO_LINGER) failed");
    client.close();
}

constexpr int resets = 20;

TEST_F(Lab5, PeerResetDoesNotKillTheServer)
{
    declare_points(2,
                   "Writing to a connection the peer has reset raises SIGPIPE, which kills the process: ignore "
                   "it (signal(SIGPIPE, SIG_IGN) at start-up, or send with MSG_NOSIGNAL) and treat EPIPE and "
                   "ECONNRESET as the client leaving (`strace -f` shows `--- SIGPIPE` and `+++ killed by SIGPIPE`).");
    // A long history: the server is still writing it when the client resets.
    const std::string history = storm_lines(2 << 20, 2048);
    start_keyed_server({"--history", "1024"}, history);
    step("join client A (key, a line, read back after 2 MiB of history)");
    auto a = integration::join(server().port(), key);
    const auto pids = live_pids();
    step("repeat " + std::to_string(resets) +
         " times: connect a client, send the key and a line, wait until the "
         "server writes to it (the 2 MiB history), then close it with a reset (SO_LINGER 0) without reading");
    for (int i = 0; i < resets; ++i) {
        Client intruder{server().port(), harness::Family::ipv4, settle(5s)};
        intruder.send_key(key);
        intruder.send(integration::unique_line("reset") + "\n");
        pollfd readable{.fd = intruder.fd(), .events = POLLIN, .revents = 0};
        if (::poll(&readable, 1, static_cast<int>(settle(5s).count())) != 1) {
            ADD_FAILURE() << "reset client " << i + 1 << " received nothing within " << settle(5s).count()
                          << " ms: the server did not send it the history";
            return;
        }
        reset(intruder);
    }
    step("client A sends a line; expect it back after the reset clients' lines, and every process that was "
         "serving A to be alive");
    integration::sync(a, {&a});
    expect_all_alive(pids, "after the resets");
    step("join client C (key, a line, read back); A sends a line; expect A and C to receive it");
    auto c = integration::join(server().port(), key);
    integration::sync(c, {&a, &c});
    integration::expect_delivered(a, {&a, &c}, "to-c");
}

} // namespace
} // namespace papaya::lab5
