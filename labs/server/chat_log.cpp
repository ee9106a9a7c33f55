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

// TODO(lab 2): helpers for the functions below, if you want them

ChatLogWriter::ChatLogWriter(const std::string& path)
{
    todo(2, "open the log for appending (O_APPEND: every write lands at the end), creating it; readable too, to check its last byte", path);
}

void ChatLogWriter::append(std::string_view record)
{
    todo(2, "under flock(LOCK_EX), from a line boundary (cut_torn_tail), one write(2) of the whole record; a write cut short leaves nothing behind", record);
}

ChatLogReader::ChatLogReader(const std::string& path)
{
    todo(2, "open the log for reading: this process's own open file description", path);
}

std::uint64_t ChatLogReader::tail_offset(unsigned lines)
{
    todo(2, "under flock(LOCK_SH), the offset where the last `lines` complete lines begin", lines);
}

std::uint64_t ChatLogReader::read_lines_from(std::uint64_t offset, std::string& out)
{
    todo(2, "under flock(LOCK_SH), append to out the complete lines from offset on; return the offset after them", offset, out);
}

} // namespace papaya
