#pragma once
/// @file
/// @brief Knowing that lines we sent were stored: the server sends every
/// record back to its author too, in log order, so a sent line is stored once
/// it comes back.

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace papaya::client {

/// Matches received lines with the lines we sent, in order.
///
/// Only lines received after a line was sent can be its echo, so a line that
/// is already in the history does not count. A line sent by someone else with
/// exactly the same bytes (our name included), stored between our send and our
/// own record, would be taken for ours: the protocol has no way to tell them apart.
class EchoWaiter {
public:
    /// Records that @p line (without `\n`) was just sent.
    void sent(std::string line);
    /// Records a line received (without `\n`).
    void received(std::string_view line);
    /// True when every sent line has come back.
    [[nodiscard]] bool done() const noexcept { return pending_.empty(); }
    /// Sent lines that have not come back yet.
    [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }

private:
    // Our own lines are stored in the order we send them, so only the oldest
    // pending one can come back next.
    std::deque<std::string> pending_;
};

} // namespace papaya::client
