#pragma once
/// @file
/// @brief Running the client (and tmux) as child processes in tests: a
/// process::Child (RAII kill and reap) with its standard streams on pipes
/// read with deadlines.

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "papaya/harness/deadline.hpp"
#include "papaya/process/child.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::client_tests {

using harness::Deadline;
using process::ExitStatus;
using process::find_program;

/// The client under test: $PAPAYA_CLIENT. @throws HarnessFailure when unset.
std::string client_path();

/// Changes to the test process's environment for a child: a value sets the
/// variable, nullopt removes it.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

/// This process's environment with @p changes applied, as "NAME=value" strings.
std::vector<std::string> child_environment(const EnvChanges& changes);

/// A child process with stdin, stdout and stderr connected to pipes.
/// Destruction kills (SIGKILL) and reaps it if it still runs (process::Child).
class ChildProcess {
public:
    /// Starts @p argv (argv[0] an absolute path) with the environment @p env.
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env);
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// The child's pid.
    [[nodiscard]] pid_t pid() const { return child_->pid(); }
    /// Writes all of @p bytes to the child's stdin. @throws HarnessFailure when it fails.
    void write_stdin(std::string_view bytes);
    /// Closes the child's stdin (it sees end of file).
    void close_stdin();
    /// Reads what the child wrote until stdout contains @p needle; false on timeout.
    bool wait_stdout(std::string_view needle, Deadline deadline);
    /// Waits for the child to exit, reading its output meanwhile; fails the test on timeout.
    ExitStatus expect_exit(Deadline deadline);
    /// Everything read from stdout so far.
    [[nodiscard]] const std::string& out() const { return out_; }
    /// Everything read from stderr so far.
    [[nodiscard]] const std::string& err() const { return err_; }

private:
    /// Reads available output, waiting up to @p deadline for some; false when both pipes are at EOF.
    bool pump(Deadline deadline);

    UniqueFd stdin_;
    UniqueFd stdout_;
    UniqueFd stderr_;
    std::string out_;
    std::string err_;
    std::optional<process::Child> child_; // last: killed and reaped before the pipes close
};

/// The environment for a client under test: HOME is @p home (so no user's
/// config file is read), no XDG_CONFIG_HOME and no PAPAYA_KEY unless
/// @p extra sets them, LANG=C.UTF-8.
std::vector<std::string> client_environment(const std::string& home, EnvChanges extra = {});

/// How a client run to completion ended.
struct RunResult {
    ExitStatus status; ///< How it ended.
    std::string out;   ///< Its stdout.
    std::string err;   ///< Its stderr.
};

/// Runs the client with @p args and @p env, stdin at end of file, and waits
/// until it exits (failing the test at @p deadline).
RunResult run_client(const std::vector<std::string>& args, const std::vector<std::string>& env, Deadline deadline);

/// Result of a command run to completion.
struct CommandResult {
    ExitStatus status;  ///< How it ended.
    std::string output; ///< stdout and stderr together.
};

/// Runs @p argv to completion (output through a file, so a daemon it starts
/// cannot hold a pipe open); fails the test when it does not end by @p deadline.
CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env, Deadline deadline);

} // namespace papaya::client_tests
