#pragma once
/// @file
/// @brief A torn last record of the chat log, and cutting it off (PROTOCOL.md section 7).
///
/// A record always starts at a line boundary. Bytes after the log's last `\n`
/// are what is left of a record whose writer was cut short: a crash or a
/// SIGKILL in the middle of its write(2), a full disk when even the undo
/// failed, or a hand edit. No reader ever consumed them (readers stop at the
/// last `\n`), so cutting them off changes nothing any client has seen,
/// whereas appending after them would glue them to the next record.

#include <cstdint>
#include <string>

namespace papaya {

/// Cuts off a torn last record of the log open on @p fd, if there is one,
/// and logs a warning with the number of bytes dropped.
/// The caller holds flock(LOCK_EX) on @p fd, which is open for reading and writing.
/// @return the log's size afterwards: where the next record starts.
/// @throws std::system_error("fstat"), ("pread") or ("ftruncate").
std::uint64_t cut_torn_tail(int fd);

/// The same at start-up, for the log at @p path (which exists): opens it and
/// waits for flock(LOCK_EX) first.
/// @throws std::system_error("open ...") or as above.
void cut_torn_tail(const std::string& path);

} // namespace papaya
