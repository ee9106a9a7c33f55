#pragma once
/// @file
/// @brief The fixture of every stage test: starts the target with `--stage k`
/// of the suite, records steps, and keeps the server's stderr when the test fails.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "papaya/harness/harness.hpp"

namespace papaya::grader {

/// Base fixture of a lab's suite: `class Lab0 : public papaya::grader::StageTest {};`.
class StageTest : public ::testing::Test {
protected:
    /// Starts the server once, as a numbered step: the target's command,
    /// `--stage <suite stage>` when the target has "stage-flag", then @p args;
    /// @p options as the harness takes them (e.g. a file size limit).
    harness::ServerProcess& start_server(std::vector<std::string> args = {}, harness::LaunchOptions options = {});
    /// The server start_server() started.
    harness::ServerProcess& server();

    /// Connects one client to the server on 127.0.0.1, as a numbered step.
    /// @param who names the client in the step ("client 2").
    harness::Client connect(std::string_view who);

    /// Keeps the server's stderr for the report when the test failed, then stops the server.
    void TearDown() override;

private:
    std::unique_ptr<harness::ServerProcess> server_;
};

} // namespace papaya::grader
