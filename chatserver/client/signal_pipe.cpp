#include "signal_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "papaya/syscall_error.hpp"

namespace papaya::client {

namespace {

volatile std::sig_atomic_t write_end = -1;

void on_signal(int signal)
{
    const int saved = errno; // the interrupted code may be about to read errno
    const auto byte = static_cast<unsigned char>(signal);
    // Non-blocking: with the pipe full, the pending bytes already wake the loop.
    [[maybe_unused]] const ssize_t n = ::write(write_end, &byte, 1);
    errno = saved;
}

} // namespace

SignalPipe::SignalPipe(std::initializer_list<int> signals)
{
    std::array<int, 2> ends{};
    check_syscall(::pipe2(ends.data(), O_CLOEXEC | O_NONBLOCK), "pipe2");
    read_.reset(ends[0]);
    write_.reset(ends[1]);
    write_end = write_.get();
    for (const int signal : signals) {
        struct sigaction action {};
        action.sa_handler = on_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        struct sigaction old {};
        check_syscall(::sigaction(signal, &action, &old), "sigaction");
        previous_.emplace_back(signal, old);
    }
}

SignalPipe::~SignalPipe()
{
    for (const auto& [signal, old] : previous_) ::sigaction(signal, &old, nullptr);
    write_end = -1;
}

std::vector<int> SignalPipe::take()
{
    std::vector<int> signals;
    std::array<unsigned char, 64> bytes{};
    for (;;) {
        const ssize_t n = ::read(read_.get(), bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; // EAGAIN: drained
        for (ssize_t i = 0; i < n; ++i) signals.push_back(bytes[static_cast<std::size_t>(i)]);
    }
    return signals;
}

} // namespace papaya::client
