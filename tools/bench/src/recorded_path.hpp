#pragma once
// How a results table names the directory it wrote: relative to the root of the
// git work tree that holds it, so committed results never carry the path of the
// machine they were made on (tools/bench/results/*/table.txt are committed).
#include <filesystem>
#include <optional>
#include <string>

namespace bench {

/// The nearest directory at or above @p dir (made absolute and normalised) that
/// holds a `.git` entry (a directory, or the file of a worktree or submodule);
/// nullopt when there is none.
std::optional<std::filesystem::path> repository_root(const std::filesystem::path& dir);

/// @p dir relative to its repository root (e.g. "tools/bench/results/echo", "."
/// for the root itself); "." (the output directory itself) when @p dir is in no
/// repository: a record never holds an absolute path.
std::string recorded_path(const std::filesystem::path& dir);

} // namespace bench
