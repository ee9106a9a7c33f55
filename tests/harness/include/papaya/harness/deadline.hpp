#pragma once
/// @file
/// @brief Deadlines and polling (from papaya_process), and the machine's
/// settle factor that scales every default deadline of the harness.

#include <chrono>

#include "papaya/process/deadline.hpp"

namespace papaya::harness {

using process::Clock;
using process::Deadline;
using process::poll_until;

/// PAPAYA_SETTLE_FACTOR (default 1, at least 1; unreadable values count as 1):
/// how much slower than an ordinary machine this one may be.
double settle_factor();

/// @p base scaled by settle_factor(): every default deadline of the harness
/// goes through it, and so does every deadline of a stage test.
std::chrono::milliseconds settle(std::chrono::milliseconds base);

} // namespace papaya::harness
