#include "papaya/key_file.hpp"

#include "papaya/fd_io.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>

namespace papaya {

namespace {

std::string octal_mode(mode_t mode)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string first_line(int fd, const std::string& path)
{
    std::string text;
    std::array<char, 512> buffer{};
    // A key line is short; stop reading soon after a line's worth.
    while (text.find('\n') == std::string::npos && text.size() < 4096) {
        const std::size_t n = io::read_some(fd, buffer);
        if (n == 0) break;
        text.append(buffer.data(), n);
    }
    if (text.empty()) throw KeyFileError("key file " + path + " is empty");
    text.resize(std::min(text.find('\n'), text.size()));
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return text;
}

} // namespace

Key key_from_text(std::string_view text, std::string_view source)
{
    if (text.starts_with("KEY ")) text.remove_prefix(4);
    if (text.size() != key_size) {
        throw KeyFileError(std::string(source) + " must hold exactly " + std::to_string(key_size) +
                           " characters, it holds " + std::to_string(text.size()));
    }
    Key key{};
    std::copy(text.begin(), text.end(), key.begin());
    return key;
}

Key load_key_file(const std::string& path)
{
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw_syscall_error("open", "key file " + path);
    // The mode of the file opened, not of whatever the path names by now.
    struct stat status {};
    check_syscall(::fstat(fd.get(), &status), "fstat", path);
    if ((status.st_mode & 077) != 0)
        throw KeyFileError("key file " + path + " is accessible by group or others (mode " +
                           octal_mode(status.st_mode) + "); run: chmod 600 " + path);
    return key_from_text(first_line(fd.get(), path), "key file " + path + ": the first line");
}

} // namespace papaya
