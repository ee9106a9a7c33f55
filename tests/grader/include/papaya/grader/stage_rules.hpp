#pragma once
/// @file
/// @brief How the grader runs each suite, derived from the stage table
/// (labs/stages.json, papaya/stages.hpp) rather than from stage numbers.

namespace papaya::grader {

/// Whether grading @p graded_stage runs the regression suite @p suite_stage
/// with a key: when the graded server authenticates, a suite whose stage
/// neither echoes (echo stages have no authentication) nor authenticates
/// itself (its own tests send keys) must have every client send the key.
bool keyed_regression(int graded_stage, int suite_stage);

/// The `--stage` a keyed regression suite runs the server with: the first
/// stage that authenticates, as below it a server ignores its key
/// (PROTOCOL.md sections 1 and 3).
int keyed_server_stage();

} // namespace papaya::grader
