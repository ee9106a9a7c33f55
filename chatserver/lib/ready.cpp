#include "papaya/ready.hpp"

#include "papaya/fd_io.hpp"

#include <string>
#include <unistd.h>

namespace papaya {

void announce_ready(std::uint16_t port)
{
    // Built first and written at once, so that a supervisor reading stderr
    // never sees the line interleaved with another process's output.
    const std::string line = "READY port=" + std::to_string(port) + " pid=" + std::to_string(::getpid()) + "\n";
    (void)io::try_write_all(STDERR_FILENO, line); // Nowhere left to report a broken stderr.
}

} // namespace papaya
