#include "temp_dir.hpp"

#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace papaya::test {

TempDir::TempDir()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "papaya-unit-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) throw_syscall_error("mkdtemp");
    path_ = buffer.data();
}

TempDir::~TempDir()
{
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::file(std::string_view name) const
{
    return (path_ / name).string();
}

std::string TempDir::write(std::string_view name, std::string_view contents, mode_t mode) const
{
    const std::string path = file(name);
    const UniqueFd fd(check_syscall(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode), "open"));
    check_syscall(::fchmod(fd.get(), mode), "fchmod");  // The umask must not decide a test's outcome.
    while (!contents.empty()) {
        const ssize_t written = ::write(fd.get(), contents.data(), contents.size());
        if (written < 0 && errno == EINTR) continue;
        check_syscall(written, "write");
        contents.remove_prefix(static_cast<std::size_t>(written));
    }
    return path;
}

std::string read_file(const std::string& path)
{
    const UniqueFd fd(check_syscall(::open(path.c_str(), O_RDONLY | O_CLOEXEC), "open"));
    std::string contents;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (check_syscall(got, "read") == 0) return contents;
        contents.append(buffer, static_cast<std::size_t>(got));
    }
}

} // namespace papaya::test
