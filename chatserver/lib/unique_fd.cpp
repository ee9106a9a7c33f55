#include "papaya/unique_fd.hpp"

#include <unistd.h>

namespace papaya {

void UniqueFd::reset(int fd) noexcept
{
    // close() is not retried on EINTR: on Linux the descriptor is released
    // even then, and a retry could close a descriptor another thread opened.
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

} // namespace papaya
