#pragma once
/// @file
/// @brief Deadlines and polling of observable state: nothing here sleeps to synchronise.

#include <chrono>
#include <functional>

namespace papaya::process {

/// The clock every deadline uses (monotonic).
using Clock = std::chrono::steady_clock;

/// A point in time by which something must have happened.
class Deadline {
public:
    /// A deadline @p timeout from now.
    explicit Deadline(Clock::duration timeout) : at_(Clock::now() + timeout) {}

    /// True once the deadline has passed.
    [[nodiscard]] bool expired() const { return Clock::now() >= at_; }
    /// Time left, never negative.
    [[nodiscard]] std::chrono::milliseconds remaining() const;
    /// Time left as a poll(2) timeout in milliseconds, rounded up, never negative.
    [[nodiscard]] int poll_timeout_ms() const;
    /// The instant itself.
    [[nodiscard]] Clock::time_point at() const { return at_; }

private:
    Clock::time_point at_;
};

/// Evaluates @p condition until it is true or @p deadline passes, backing off
/// from 1 ms to 20 ms between evaluations (for state that has no descriptor to
/// poll, such as /proc or a file's contents).
/// @return true when the condition became true, false on timeout.
bool poll_until(const std::function<bool()>& condition, Deadline deadline);

} // namespace papaya::process
