// Lab 0's probe of read_some_until, compiled by the suite against the
// student's connection_io.cpp (built alone into a shared library). The stage
// 0 server never calls it (lab 4's key handshake does), so only a probe can
// grade it in the lab that writes it. Prints what went wrong and exits 1, or
// prints "ok".
#include "papaya/connection_io.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

int failures = 0;

// A millisecond poll(2) timeout truncated from what is left may wake a
// fraction of a millisecond early: no fault. A signal that ends the wait
// (50 ms into it) is.
constexpr auto slack = 10ms;

void expect(bool ok, const char* what, long got)
{
    if (ok) return;
    std::printf("%s (returned %ld)\n", what, got);
    ++failures;
}

} // namespace

int main()
{
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) return 2;
    std::array<char, 64> buffer{};

    // Bytes already waiting: they come back at once.
    (void)::write(pair[1], "hello", 5);
    long n = papaya::read_some_until(pair[0], buffer, steady_clock::now() + 5s);
    expect(n == 5, "with 5 bytes waiting, read_some_until did not return them", n);

    // Nothing comes: -1, and not before the deadline.
    auto start = steady_clock::now();
    n = papaya::read_some_until(pair[0], buffer, start + 300ms);
    expect(n == -1, "with nothing to read, read_some_until did not return -1 at the deadline", n);
    expect(steady_clock::now() - start >= 300ms - slack, "read_some_until returned before its deadline", n);

    // A signal with a handler, no SA_RESTART, interrupts the wait (EINTR):
    // the wait goes on until the deadline.
    struct sigaction action {};
    action.sa_handler = [](int) {};
    ::sigaction(SIGALRM, &action, nullptr);
    const itimerval every_50ms{{0, 50000}, {0, 50000}};
    ::setitimer(ITIMER_REAL, &every_50ms, nullptr);
    start = steady_clock::now();
    n = papaya::read_some_until(pair[0], buffer, start + 400ms);
    const itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    expect(n == -1, "interrupted by signals, read_some_until did not wait for its deadline", n);
    expect(steady_clock::now() - start >= 400ms - slack, "a signal (EINTR) ended read_some_until before its deadline",
           n);

    // Bytes that arrive during the wait end it with them.
    std::thread writer([&] {
        std::this_thread::sleep_for(100ms); // the probe waits for them in any case: no race to lose
        (void)::write(pair[1], "late", 4);
    });
    n = papaya::read_some_until(pair[0], buffer, steady_clock::now() + 10s);
    writer.join();
    expect(n == 4, "bytes that arrived during the wait were not returned", n);

    // The peer closes: end of file, 0.
    ::close(pair[1]);
    n = papaya::read_some_until(pair[0], buffer, steady_clock::now() + 5s);
    expect(n == 0, "after the peer closed, read_some_until did not return 0 (end of file)", n);

    if (failures == 0) std::puts("ok");
    return failures == 0 ? 0 : 1;
}
