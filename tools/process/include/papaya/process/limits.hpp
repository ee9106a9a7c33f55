#pragma once
/// @file
/// @brief This process's resource limits, raised where a tool or a test needs
/// many descriptors (the bench's clients, a flood test's connections).

#include <cstdint>

namespace papaya::process {

/// Raises RLIMIT_NOFILE's soft limit to the hard limit; first, when
/// @p hard_wanted is above the hard limit and the process may raise it
/// (CAP_SYS_RESOURCE, e.g. root), the hard limit to @p hard_wanted (at most
/// fs.nr_open). Children inherit both: the bench's servers get the same room.
/// @return the soft limit now in force.
/// @throws std::system_error naming getrlimit or setrlimit when it fails.
std::uint64_t raise_open_files_limit(std::uint64_t hard_wanted = 0);

} // namespace papaya::process
