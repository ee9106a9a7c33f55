#pragma once
/// @file
/// @brief This process's resource limits, raised where a tool or a test needs
/// many descriptors (the bench's clients, a flood test's connections).

#include <cstdint>

namespace papaya::process {

/// Raises RLIMIT_NOFILE's soft limit to the hard limit.
/// @return the soft limit now in force.
/// @throws std::system_error naming getrlimit or setrlimit when it fails.
std::uint64_t raise_open_files_limit();

} // namespace papaya::process
