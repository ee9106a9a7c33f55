#include "papaya/harness/deadline.hpp"

#include <poll.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <exception>
#include <string>

namespace papaya::harness {

std::chrono::milliseconds Deadline::remaining() const
{
    const auto left = at_ - Clock::now();
    if (left <= Clock::duration::zero()) return std::chrono::milliseconds{0};
    return std::chrono::ceil<std::chrono::milliseconds>(left);
}

int Deadline::poll_timeout_ms() const
{
    return static_cast<int>(std::min<long long>(remaining().count(), INT_MAX));
}

double settle_factor()
{
    const char* text = std::getenv("PAPAYA_SETTLE_FACTOR");
    if (text == nullptr || *text == '\0') return 1.0;
    try {
        return std::max(1.0, std::stod(text));
    } catch (const std::exception&) {
        return 1.0;
    }
}

std::chrono::milliseconds settle(std::chrono::milliseconds base)
{
    return std::chrono::milliseconds{static_cast<long long>(static_cast<double>(base.count()) * settle_factor())};
}

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

} // namespace papaya::harness
