// Lab 2: the chat log. Two facts make it safe to share between processes:
// - O_APPEND moves the offset to the end and writes in one step, so two
//   appenders never overwrite each other;
// - flock(2) locks belong to an *open file description*. A description
//   opened before fork() is shared by every child, and so is its lock: it
//   excludes nobody (the original papayaChat's bug). Each process therefore
//   opens the log itself.
#include "papaya/chat_log.hpp"

#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"
#include "papaya/torn_tail.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace papaya {

// @lab 2: helpers for the functions below, if you want them
namespace {

constexpr std::size_t chunk_size = 64 * 1024;
// A sender that fell far behind catches up in pieces of about this size.
constexpr std::size_t catch_up_bytes = 1024 * 1024;

/// Holds a flock(2) lock for one scope.
class FileLock {
public:
    // [slide: filelock]
    FileLock(int fd, int operation) : fd_(fd)
    {
        while (::flock(fd_, operation) < 0) {
            if (errno != EINTR) throw_syscall_error("flock");
        }
    }
    ~FileLock() { ::flock(fd_, LOCK_UN); }
    // [/slide]
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_;
};

UniqueFd open_log(const std::string& path, int flags)
{
    UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, 0640));
    if (!fd) throw_syscall_error("open", path);
    return fd;
}

std::uint64_t file_size(int fd)
{
    struct stat status {};
    check_syscall(::fstat(fd, &status), "fstat");
    return static_cast<std::uint64_t>(status.st_size);
}

/// pread(2) that retries on EINTR; returns 0 at end of file.
std::size_t read_at(int fd, char* buffer, std::size_t size, std::uint64_t offset)
{
    for (;;) {
        const ssize_t n = ::pread(fd, buffer, size, static_cast<off_t>(offset));
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) throw_syscall_error("pread");
    }
}

} // namespace
// @end

ChatLogWriter::ChatLogWriter(const std::string& path)
{
    // @lab 2(path): open the log for appending (O_APPEND: every write lands at the end), creating it; readable too, to check its last byte
    // [slide: writer_open]
    fd_ = open_log(path, O_RDWR | O_APPEND | O_CREAT);
    // [/slide]
    // @end
}

void ChatLogWriter::append(std::string_view record)
{
    // @lab 2(record): under flock(LOCK_EX), from a line boundary (cut_torn_tail), one write(2) of the whole record; a write cut short leaves nothing behind
    // [slide: append_lock]
    const FileLock lock(fd_.get(), LOCK_EX);
    // [/slide]
    // A record starts at a line boundary: whatever a writer that died
    // mid-record left after the last \n would glue itself to this record.
    // [slide: append_tail]
    const std::uint64_t end = cut_torn_tail(fd_.get());
    // [/slide]
    // One write(2) puts the record in place; the loop only matters when the
    // disk fills up mid-record (ENOSPC, EFBIG). Then the piece already
    // written is cut off again, still under the lock, so no reader ever sees it.
    // [slide: append_write]
    std::uint64_t written = 0;
    while (written < record.size()) {
        const ssize_t n = ::write(fd_.get(), record.data() + written, record.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            // Should even this fail, the next append cuts the piece off.
            if (written > 0) (void)::ftruncate(fd_.get(), static_cast<off_t>(end));
            throw_syscall_error("write", "chat log", error);
        }
        written += static_cast<std::uint64_t>(n);
    }
    // [/slide]
    // @end
}

ChatLogReader::ChatLogReader(const std::string& path)
{
    // @lab 2(path): open the log for reading: this process's own open file description
    fd_ = open_log(path, O_RDONLY);
    // @end
}

std::uint64_t ChatLogReader::tail_offset(unsigned lines)
{
    // @lab 2(lines): under flock(LOCK_SH), the offset where the last `lines` complete lines begin
    const FileLock lock(fd_.get(), LOCK_SH);
    std::uint64_t position = file_size(fd_.get());
    std::string block(chunk_size, '\0');
    bool seen_last_newline = false; // the one that ends the last complete line
    unsigned newlines = 0;
    while (position > 0) {
        const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, position));
        position -= size;
        const std::size_t got = read_at(fd_.get(), block.data(), size, position);
        for (std::size_t i = got; i-- > 0;) {
            if (block[i] != '\n') continue;
            if (!seen_last_newline) {
                seen_last_newline = true;
                if (lines == 0) return position + i + 1;
                continue;
            }
            // This newline ends the line before the ones we send.
            if (++newlines == lines) return position + i + 1;
        }
    }
    return 0; // the log holds fewer lines than asked for: all of them
    // @end
}

std::uint64_t ChatLogReader::read_lines_from(std::uint64_t offset, std::string& out)
{
    // @lab 2(offset, out): under flock(LOCK_SH), append to out the complete lines from offset on; return the offset after them
    const FileLock lock(fd_.get(), LOCK_SH);
    const std::uint64_t end = file_size(fd_.get());
    const std::size_t start = out.size();
    std::size_t last_newline = std::string::npos; // index in out
    std::uint64_t position = offset;
    while (position < end) {
        if (position - offset >= catch_up_bytes && last_newline != std::string::npos) break;
        const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, end - position));
        const std::size_t old = out.size();
        out.resize(old + size);
        const std::size_t got = read_at(fd_.get(), out.data() + old, size, position);
        out.resize(old + got);
        if (got == 0) break;
        const auto found = out.rfind('\n');
        if (found != std::string::npos && found >= start) last_newline = found;
        position += got;
    }
    // [slide: whole_lines]
    // Only whole lines leave here: a record being written, or a partial line
    // left by something that did not lock, stays for the next call.
    const std::size_t whole = last_newline == std::string::npos ? 0 : last_newline + 1 - start;
    out.resize(start + whole);
    return offset + whole;
    // [/slide]
    // @end
}

} // namespace papaya
