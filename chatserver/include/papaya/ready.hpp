#pragma once
/// @file
/// @brief The READY line that tells a supervisor (and the tests) that the server listens.

#include <cstdint>

namespace papaya {

/// Writes `READY port=<port> pid=<pid>\n` to stderr in one write(2)
/// (continued after EINTR or a short write). Called once, when the listening
/// socket accepts connections. Best effort: a broken stderr is ignored, as
/// there is nowhere to report it.
/// @param port the port actually bound (useful with `--port 0`).
void announce_ready(std::uint16_t port);

} // namespace papaya
