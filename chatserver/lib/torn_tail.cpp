#include "papaya/torn_tail.hpp"

#include "papaya/service_log.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace papaya {
namespace {

/// pread(2) of up to @p size bytes, retried on EINTR; 0 at end of file.
std::size_t read_at(int fd, char* buffer, std::size_t size, std::uint64_t offset)
{
    for (;;) {
        const ssize_t n = ::pread(fd, buffer, size, static_cast<off_t>(offset));
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) throw_syscall_error("pread");
    }
}

/// The offset just after the last `\n` before @p end (0 when there is none).
std::uint64_t end_of_last_line(int fd, std::uint64_t end)
{
    std::array<char, 64 * 1024> block{};
    while (end > 0) {
        const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), end));
        const std::uint64_t start = end - size;
        const std::size_t got = read_at(fd, block.data(), size, start);
        // The caller holds LOCK_EX, so the file cannot shrink under us unless
        // something ignores the lock; then the bytes not read count as torn.
        for (std::size_t i = got; i-- > 0;) {
            if (block[i] == '\n') return start + i + 1;
        }
        end = start;
    }
    return 0;
}

} // namespace

std::uint64_t cut_torn_tail(int fd)
{
    struct stat status {};
    check_syscall(::fstat(fd, &status), "fstat");
    const auto size = static_cast<std::uint64_t>(status.st_size);
    char last = '\n';
    // The common case costs one pread(2) of one byte.
    if (size == 0 || (read_at(fd, &last, 1, size - 1) == 1 && last == '\n')) return size;
    const std::uint64_t end = end_of_last_line(fd, size);
    while (::ftruncate(fd, static_cast<off_t>(end)) < 0) {
        if (errno != EINTR) throw_syscall_error("ftruncate");
    }
    log_message(LogLevel::warning, "chat log: dropped a torn last record: " + std::to_string(size - end) +
                                       " bytes after the last newline (offset " + std::to_string(end) + ")");
    return end;
}

void cut_torn_tail(const std::string& path)
{
    const UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
    if (!fd) throw_syscall_error("open", path);
    while (::flock(fd.get(), LOCK_EX) < 0) {
        if (errno != EINTR) throw_syscall_error("flock", path);
    }
    cut_torn_tail(fd.get()); // closing the descriptor releases the lock
}

} // namespace papaya
