#pragma once
/// @file
/// @brief Grading targets: a name mapped to a server command and its
/// capabilities (tests/targets.conf), and the build's grader configuration.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace papaya::grader {

/// One server that can be graded.
struct Target {
    std::string spec;                      ///< As given: "papayad", or "cmd:/path --flag".
    std::string command;                   ///< The command line (words split like a shell).
    std::vector<std::string> capabilities; ///< "processes", "setuid", "stage-flag".
    /// The folder of the target's stage files (`sources=DIR` in the targets
    /// file, PAPAYA_TARGET_SOURCES for `cmd:`); empty when the target has no
    /// source tree (goref, most commands): tests that build it are then N/A.
    std::filesystem::path sources;
};

/// What the build generated (tests/grader/grader.conf in the build tree).
struct GraderConfig {
    std::map<int, std::filesystem::path> suites; ///< stage -> suite executable
    std::map<std::string, std::string> programs; ///< {name} placeholders -> built paths
    std::filesystem::path targets_file;          ///< tests/targets.conf
};

/// Reads @p path (default: the file this build generated).
/// @throws std::runtime_error when it cannot be read or a line is malformed.
GraderConfig load_grader_config(const std::filesystem::path& path = {});

/// Resolves @p spec: a name from the targets file, or `cmd:COMMAND` (capabilities
/// "processes stage-flag engines" unless PAPAYA_TARGET_CAPS says otherwise).
/// @throws std::runtime_error naming the known targets when @p spec is unknown.
Target resolve_target(std::string_view spec, const GraderConfig& config);

/// Exports @p target for the harness: PAPAYA_SERVER, PAPAYA_SERVER_KIND
/// ("goroutines" without the "processes" capability), PAPAYA_TARGET_CAPS and
/// PAPAYA_TARGET_SOURCES (empty without sources).
void export_target(const Target& target);

} // namespace papaya::grader
