#pragma once
/// @file
/// @brief Lab 2: the chat log, one file appended to by every client process.
///
/// Every process opens the log itself (its own open file description), so
/// flock(2) locks really exclude each other and no file offset is shared.

#include "papaya/unique_fd.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace papaya {

/// The writing side: one per RECV process.
class ChatLogWriter {
public:
    /// Opens @p path with O_RDWR | O_APPEND (creating it, mode 0640, when
    /// missing): it only writes at the end, and reads the last bytes to check
    /// that a record would start at a line boundary.
    /// @throws std::system_error("open").
    explicit ChatLogWriter(const std::string& path);

    /// Appends one record (ending in `\n`) with a single write under LOCK_EX,
    /// after cutting off a torn last record (cut_torn_tail). When the write
    /// fails (ENOSPC, EFBIG), the part already written is cut off again
    /// before the lock is released: the log holds the whole record or none of it.
    /// @throws std::system_error("flock"), ("write"), or cut_torn_tail's.
    void append(std::string_view record);

private:
    UniqueFd fd_;
};

/// The reading side: one per SEND process. Reads only whole lines, under LOCK_SH.
class ChatLogReader {
public:
    /// Opens @p path read-only. @throws std::system_error("open").
    explicit ChatLogReader(const std::string& path);

    /// The offset where the last @p lines complete lines begin. Reads
    /// backwards from the end, so the cost grows with @p lines, not with the
    /// log's size. A partial last line (no `\n` yet) is not counted.
    std::uint64_t tail_offset(unsigned lines);

    /// Appends to @p out the complete lines from @p offset on, and returns
    /// the offset just after the last one. It stops at the end of the log,
    /// or after about 1 MiB (whole lines, so memory stays bounded for a
    /// reader far behind): call again until nothing more is appended.
    std::uint64_t read_lines_from(std::uint64_t offset, std::string& out);

private:
    UniqueFd fd_;
};

} // namespace papaya
