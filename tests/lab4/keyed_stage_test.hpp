#pragma once
/// @file
/// @brief The fixture of lab 4's tests: a server started with a key file (and
/// its chat log) in a directory the service user can still reach after
/// dropping root, or launched with options the plain StageTest does not take.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "papaya/grader/grader.hpp"

namespace papaya::lab4 {

/// --auth-timeout-ms of the tests that wait for the server to give up on a client.
inline constexpr int auth_timeout_ms = 400;

class Lab4 : public grader::StageTest {
protected:
    Lab4();

    /// A fresh 128-byte key, written to `<dir>/key` with @p mode; returns the file.
    std::filesystem::path write_key(mode_t mode = 0600);

    /// start_server() with `--key-file <dir>/key --log <dir>/chat.log` and then @p args.
    harness::ServerProcess& start_keyed_server(std::vector<std::string> args = {});

    /// Like start_server() (a numbered step, `--stage 4` when the target takes
    /// it), but with @p options: for a server that must not reach READY, or
    /// that starts with supplementary groups. Stops the previous launch()ed one.
    harness::ServerProcess& launch(std::vector<std::string> args, harness::LaunchOptions options);

    /// Keeps the stderr of a launch()ed server when the test failed.
    void TearDown() override;

    harness::TempDir dir{"papaya-lab4"}; ///< Holds the key file and the chat log (mode 0711).
    std::string key;                     ///< The key of the last write_key().
    std::filesystem::path log;           ///< `<dir>/chat.log`.

private:
    std::unique_ptr<harness::ServerProcess> launched_;
};

} // namespace papaya::lab4
