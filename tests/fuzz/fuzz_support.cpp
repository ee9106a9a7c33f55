#include "fuzz_support.hpp"

#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace papaya::fuzz {

namespace {

struct TempDir {
    std::string path;
    TempDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "papaya-fuzz-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw_syscall_error("mkdtemp");
        path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

} // namespace

const std::string& temp_dir()
{
    static const TempDir dir;
    return dir.path;
}

void write_file(const std::string& path, std::string_view bytes, unsigned mode)
{
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd) throw_syscall_error("open");
    check_syscall(::fchmod(fd.get(), mode), "fchmod");
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd.get(), bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_syscall_error("write");
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

ReferenceSplit reference_split(std::string_view bytes, std::size_t max_line)
{
    ReferenceSplit split;
    for (;;) {
        const auto newline = bytes.find('\n');
        if (newline == std::string_view::npos) {
            // An unfinished line can still be valid only if it is at most
            // max_line bytes, or max_line plus the `\r` its ending would strip.
            split.overlong = bytes.size() > max_line + 1 || (bytes.size() == max_line + 1 && bytes.back() != '\r');
            return split;
        }
        std::string_view line = bytes.substr(0, newline);
        bytes.remove_prefix(newline + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() > max_line) {
            split.overlong = true;
            return split;
        }
        if (line.empty() || line.find('\0') != std::string_view::npos) continue;
        split.records.emplace_back(line).push_back('\n');
    }
}

} // namespace papaya::fuzz
