#pragma once
// One clock for every timestamp the tool takes: generator and receiver share it,
// so one-way latency on loopback is a plain difference.
#include <cstdint>
#include <ctime>

namespace bench {

inline std::int64_t now_ns() noexcept
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline std::int64_t process_cpu_ns() noexcept
{
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace bench
