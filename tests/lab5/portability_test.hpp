#pragma once
/// @file
/// @brief The fixture of lab 5's tests: a server started with `--stage 5`, a
/// key file and its own chat log (like lab 4's), optionally inside a fresh
/// network namespace where net.ipv6.bindv6only is 1.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "papaya/grader/grader.hpp"

namespace papaya::lab5 {

class Lab5 : public grader::StageTest {
protected:
    Lab5();

    /// start_server() with `--key-file <dir>/key --log <dir>/chat.log` and then
    /// @p args; the log starts as @p initial_log.
    harness::ServerProcess& start_keyed_server(std::vector<std::string> args = {}, std::string_view initial_log = {});

    /// Like start_keyed_server(), but the server runs inside a new network
    /// namespace with lo up and net.ipv6.bindv6only=1 (papaya_lab5_netns).
    harness::ServerProcess& start_keyed_server_in_new_netns();

    /// The pids of the service's live processes (zombies left out).
    std::vector<pid_t> live_pids();

    harness::TempDir dir{"papaya-lab5"}; ///< Holds the key file and the chat log (mode 0711).
    std::string key;                     ///< The key of the server.
    std::filesystem::path log;           ///< `<dir>/chat.log`.
};

/// True when @p pid exists and is not a zombie.
bool alive(pid_t pid);

} // namespace papaya::lab5
