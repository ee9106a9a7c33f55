#pragma once
/// @file
/// @brief Signals as readable bytes (the self-pipe trick), so that one poll(2)
/// waits for the terminal, the server and signals alike, with no timeout.

#include <csignal>
#include <initializer_list>
#include <vector>

#include "papaya/unique_fd.hpp"

namespace papaya::client {

/// While it lives, each of the given signals writes its number into a pipe
/// whose read end can be polled; the previous dispositions come back at destruction.
/// Only one may exist at a time.
class SignalPipe {
public:
    /// Installs the handlers for @p signals.
    /// @throws std::system_error naming the failing call.
    explicit SignalPipe(std::initializer_list<int> signals);
    ~SignalPipe();

    SignalPipe(const SignalPipe&) = delete;
    SignalPipe& operator=(const SignalPipe&) = delete;

    /// The read end: readable when a signal arrived.
    [[nodiscard]] int fd() const noexcept { return read_.get(); }
    /// The signals that arrived since the last call (without blocking).
    std::vector<int> take();

private:
    UniqueFd read_;
    UniqueFd write_;
    std::vector<std::pair<int, struct sigaction>> previous_;
};

} // namespace papaya::client
