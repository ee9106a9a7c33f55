#include "file_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

namespace bench {

std::optional<std::string> try_read_file(const std::string& path)
{
    papaya::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    std::string out;
    char buf[8192];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::nullopt;
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

namespace {
int write_all(int fd, std::string_view data) noexcept
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}
} // namespace

void write_file(const std::string& path, std::string_view data)
{
    papaya::UniqueFd fd(papaya::check_syscall(::open(path.c_str(), O_WRONLY | O_CLOEXEC), "open"));
    if (write_all(fd.get(), data) < 0) papaya::throw_syscall_error("write");
}

void create_file(const std::string& path, std::string_view data)
{
    papaya::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) papaya::throw_syscall_error("open", path);
    if (write_all(fd.get(), data) < 0) papaya::throw_syscall_error("write", path);
}

bool try_write_file(const std::string& path, std::string_view data) noexcept
{
    papaya::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    return fd && write_all(fd.get(), data) == 0;
}

} // namespace bench
