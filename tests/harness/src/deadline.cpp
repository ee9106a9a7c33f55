#include "papaya/harness/deadline.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <string>

namespace papaya::harness {

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

} // namespace papaya::harness
