#include "papaya/process/temp_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <random>
#include <system_error>
#include <utility>

#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::process {

namespace {

std::filesystem::path temp_root()
{
    const char* tmpdir = std::getenv("TMPDIR");
    return tmpdir != nullptr && *tmpdir != '\0' ? std::filesystem::path{tmpdir} : std::filesystem::path{"/tmp"};
}

void write_all(int fd, std::string_view bytes, const char* call)
{
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        papaya::check_syscall(n, call);
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string random_from(std::string_view alphabet, std::size_t length)
{
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string out(length, '\0');
    for (char& c : out) c = alphabet[pick(engine)];
    return out;
}

} // namespace

TempDir::TempDir(std::string_view prefix)
{
    std::string pattern = (temp_root() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) papaya::throw_syscall_error("mkdtemp");
    path_ = pattern;
}

TempDir::~TempDir() { remove(); }

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept
{
    if (this != &other) {
        remove();
        path_ = std::exchange(other.path_, {});
    }
    return *this;
}

void TempDir::remove() noexcept
{
    if (path_.empty()) return;
    std::error_code ignored; // best effort: a destructor must not throw
    std::filesystem::remove_all(path_, ignored);
    path_.clear();
}

void write_file(const std::filesystem::path& path, std::string_view contents, mode_t mode)
{
    const papaya::UniqueFd fd{
        papaya::check_syscall(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode), "open")};
    papaya::check_syscall(::fchmod(fd.get(), mode), "fchmod"); // open's mode is filtered by the umask
    write_all(fd.get(), contents, "write");
}

void append_file(const std::filesystem::path& path, std::string_view contents)
{
    const papaya::UniqueFd fd{
        papaya::check_syscall(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644), "open")};
    write_all(fd.get(), contents, "write");
}

std::string read_file(const std::filesystem::path& path)
{
    const papaya::UniqueFd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (!fd) {
        if (errno == ENOENT) return {};
        papaya::throw_syscall_error("open");
    }
    std::string contents;
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        papaya::check_syscall(n, "read");
        if (n == 0) return contents;
        contents.append(chunk, static_cast<std::size_t>(n));
    }
}

std::string random_token(std::size_t length) { return random_from("abcdefghijklmnopqrstuvwxyz0123456789", length); }

std::string random_key()
{
    return random_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", key_length);
}

std::filesystem::path TempDir::write(std::string_view name, std::string_view contents, mode_t mode) const
{
    std::filesystem::path path = file(name);
    write_file(path, contents, mode);
    return path;
}

std::filesystem::path write_key_file(const TempDir& dir, std::string_view key, mode_t mode, std::string_view name)
{
    std::filesystem::path path = dir.file(name);
    write_file(path, std::string(key) + "\n", mode);
    return path;
}

} // namespace papaya::process
