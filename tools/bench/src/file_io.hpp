#pragma once
// Whole-file reads and writes of small /proc and cgroupfs files (and of result files), EINTR-safe.
#include <optional>
#include <string>
#include <string_view>

namespace bench {

/// The file's contents, or nullopt when it cannot be opened or read (a process
/// that exited between listing and reading is normal, not an error).
std::optional<std::string> try_read_file(const std::string& path);
/// Writes @p data with one open/write loop/close; throws std::system_error naming the call.
void write_file(const std::string& path, std::string_view data);
/// Creates or truncates @p path (mode 0644) and writes @p data; throws std::system_error naming the call and path.
void create_file(const std::string& path, std::string_view data);
/// write_file that reports failure instead of throwing.
bool try_write_file(const std::string& path, std::string_view data) noexcept;

} // namespace bench
