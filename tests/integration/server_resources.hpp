#pragma once
/// @file
/// @brief What a running server holds, read from /proc: processes, zombies,
/// threads, open descriptors and memory. Used by the hardening tests (floods,
/// exhausted resources) and by the soak (tools/bench papaya-soak) to see that
/// nothing creeps.

#include <cstddef>
#include <cstdint>
#include <string>

#include "papaya/harness/harness.hpp"

namespace papaya::integration {

/// One look at a server's whole process tree.
struct ServerResources {
    std::size_t processes = 0;   ///< live ones (zombies apart)
    std::size_t zombies = 0;     ///< exited, not yet reaped
    std::size_t threads = 0;     ///< summed over the live processes
    std::size_t fds = 0;         ///< entries of /proc/PID/fd, summed
    std::uint64_t pss_bytes = 0; ///< Pss of smaps_rollup, summed (shared pages split fairly)
    std::uint64_t rss_bytes = 0; ///< Rss of smaps_rollup, summed

    /// "3 processes, 0 zombies, 3 threads, 21 fds, PSS 1.2 MiB".
    [[nodiscard]] std::string describe() const;
};

/// Reads the resources of @p server's tree now. A process that exits while it
/// is read is counted with what could be read of it.
ServerResources measure_resources(harness::ServerProcess& server);

} // namespace papaya::integration
