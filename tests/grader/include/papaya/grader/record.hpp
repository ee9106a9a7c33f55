#pragma once
/// @file
/// @brief What a stage test declares about itself (points, one hint) and the
/// numbered steps it takes, kept for the failure report.

#include <string>
#include <string_view>
#include <vector>

namespace papaya::grader {

/// The running test's declarations, reset when each test starts.
struct TestRecord {
    bool declared = false;          ///< declare_points() was called.
    int points = 0;                 ///< Points the test is worth.
    std::string hint;               ///< What the student should do when it fails.
    std::vector<std::string> steps; ///< What the test did, in order (numbered from 1 when printed).
    std::string server_stderr;      ///< The server's stderr, kept when the test failed.
    std::string server_command;     ///< The server's argv as one line, once started.
};

/// The record of the test running now.
TestRecord& current_test();

/// Forgets everything recorded (the listener calls it when a test starts).
void reset_current_test();

/// Declares the test's points and its one hint; call it first in every stage
/// test. Also recorded as the test properties "points" and "hint" (so they are
/// in GoogleTest's XML output too).
void declare_points(int points, std::string_view hint);

/// Records the next numbered step ("connect to 127.0.0.1:4242").
/// @return the step's number (1 for the first).
int step(std::string text);

} // namespace papaya::grader
