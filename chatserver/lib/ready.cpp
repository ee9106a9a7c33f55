#include "papaya/ready.hpp"

#include <cerrno>
#include <string>
#include <string_view>
#include <unistd.h>

namespace papaya {

void announce_ready(std::uint16_t port)
{
    // Built first and written at once, so that a supervisor reading stderr
    // never sees the line interleaved with another process's output.
    const std::string line =
        "READY port=" + std::to_string(port) + " pid=" + std::to_string(::getpid()) + "\n";
    std::string_view rest = line;
    while (!rest.empty()) {
        const ssize_t written = ::write(STDERR_FILENO, rest.data(), rest.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return;  // Nowhere left to report a broken stderr.
        }
        rest.remove_prefix(static_cast<std::size_t>(written));
    }
}

} // namespace papaya
