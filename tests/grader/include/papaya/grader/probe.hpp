#pragma once
/// @file
/// @brief White-box checks of one stage file: where a mistake cannot be seen
/// on the wire (a key compare's timing, a deadline of a helper the server
/// does not use yet), a suite builds the target's own copy of that file
/// (its sources= folder in tests/targets.conf) into a shared library and
/// runs a small probe program against it.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "papaya/harness/temp_dir.hpp"

namespace papaya::grader {

/// What a probe run produced.
struct ProbeRun {
    bool ok = false;    ///< It exited 0 within its time.
    std::string output; ///< Its stdout and stderr.
};

/// Builds the target's @p stage_file alone into a shared library in @p dir
/// (functions it does not call stay unbound) and links the probe source
/// @p probe_source to it, as numbered steps. The test is skipped (N/A) when
/// the target has no source tree, and fails when either build fails.
/// @return the probe's path, or nothing when the test was skipped or failed.
std::optional<std::filesystem::path> build_stage_probe(std::string_view stage_file,
                                                       const std::filesystem::path& probe_source,
                                                       const harness::TempDir& dir);

/// Runs @p probe, killed after @p limit.
ProbeRun run_probe(const std::filesystem::path& probe, std::chrono::milliseconds limit);

} // namespace papaya::grader
