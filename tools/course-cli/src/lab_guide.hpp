#pragma once
/// @file
/// @brief What `start` shows of a lab: the Goal section of its README and the
/// files it edits, from the stage table (papaya/stages.hpp).

#include <filesystem>
#include <string>
#include <string_view>

namespace papaya::course {

/// The non-empty lines of @p readme's "## Goal" section, at most @p max_lines,
/// each with its '\n'.
std::string goal_section(std::string_view readme, std::size_t max_lines = 12);

/// Lab @p stage's README, relative to the repository: "labs/NN-slug/README.md".
std::string readme_path(int stage);

/// The files lab @p stage edits: "labs/server/a.cpp labs/server/b.cpp".
std::string files_to_edit(int stage);

} // namespace papaya::course
