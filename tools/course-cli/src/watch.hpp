#pragma once
/// @file
/// @brief `start` in a terminal: wait until a file of labs/server/ is saved, or q is pressed.

#include <filesystem>
#include <string>

namespace papaya::course {

/// A fingerprint of @p dir: every file's path, modification time and size
/// (changes whenever a file is saved).
std::string sources_stamp(const std::filesystem::path& dir);

enum class WatchEvent { saved, quit };

/// Waits until sources_stamp(@p dir) differs from @p stamp, or the user
/// presses q in the terminal (stdin, read without echo, one key at a time).
WatchEvent wait_for_save_or_quit(const std::filesystem::path& dir, const std::string& stamp);

} // namespace papaya::course
