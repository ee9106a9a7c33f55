#include "papaya/process/deadline.hpp"

#include <poll.h>

#include <algorithm>
#include <climits>

namespace papaya::process {

std::chrono::milliseconds Deadline::remaining() const
{
    const auto left = at_ - Clock::now();
    if (left <= Clock::duration::zero()) return std::chrono::milliseconds{0};
    return std::chrono::ceil<std::chrono::milliseconds>(left);
}

int Deadline::poll_timeout_ms() const { return static_cast<int>(std::min<long long>(remaining().count(), INT_MAX)); }

bool poll_until(const std::function<bool()>& condition, Deadline deadline)
{
    int pause_ms = 1;
    for (;;) {
        if (condition()) return true;
        if (deadline.expired()) return false;
        // Nothing to wait on for /proc or file contents: a short, growing pause
        // between checks keeps the poll cheap without delaying success much.
        ::poll(nullptr, 0, std::min(pause_ms, std::max(1, deadline.poll_timeout_ms())));
        pause_ms = std::min(pause_ms * 2, 20);
    }
}

} // namespace papaya::process
