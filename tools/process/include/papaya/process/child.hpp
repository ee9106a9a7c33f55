#pragma once
/// @file
/// @brief A child process started from an argv, killed and reaped when its
/// owner goes out of scope.

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "papaya/process/deadline.hpp"

namespace papaya::process {

/// How a process ended.
struct ExitStatus {
    bool exited = false; ///< Ended with exit(); else killed by a signal.
    int code = 0;        ///< Exit status when exited.
    int signal = 0;      ///< Signal number when killed.
    int wait_status = 0; ///< The waitpid() status itself, for records that keep it raw.

    /// From a waitpid() status.
    static ExitStatus from_wait_status(int status);
    /// True for exit status 0.
    [[nodiscard]] bool success() const { return exited && code == 0; }
    /// "exit 1" or "killed by signal 9 (Killed)".
    [[nodiscard]] std::string describe() const;
};

/// What a Child starts, and how.
struct SpawnOptions {
    /// Where a standard stream of the child comes from.
    static constexpr int inherit = -1; ///< The parent's own descriptor.
    static constexpr int null = -2;    ///< /dev/null.

    /// The program and its arguments; argv[0] is a path, or a name looked up
    /// in $PATH when search_path is set.
    std::vector<std::string> argv{};
    /// "NAME=value" entries; nothing: this process's environment.
    std::optional<std::vector<std::string>> environment{};
    /// Look argv[0] up in $PATH (execvpe) instead of taking it as a path (execve).
    bool search_path = false;
    int stdin_fd = inherit;  ///< Descriptor to become the child's stdin, or inherit / null.
    int stdout_fd = inherit; ///< Descriptor to become the child's stdout, or inherit / null.
    int stderr_fd = inherit; ///< Descriptor to become the child's stderr, or inherit / null.
    /// Put the child in a process group of its own (its pid), so a signal can reach all it forks.
    bool new_process_group = false;
    /// Put the child in a session of its own (setsid): also its own scheduler autogroup.
    bool new_session = false;
    /// Runs in the child after the redirections, before exec: rlimits,
    /// cgroups, affinity. The parent may have threads, so only
    /// async-signal-safe calls are allowed (no allocation, no locks, no
    /// exceptions). Returns nullptr, or the name of the call that failed
    /// (a string literal; errno says why) to abort the start.
    std::function<const char*()> in_child{};
};

/// A started child process. The constructor returns once exec succeeded, or
/// throws; destruction SIGKILLs the child if it was not reaped yet, and reaps it.
class Child {
public:
    /// Starts @p options.argv. Every descriptor but the three standard ones is
    /// closed on exec (the project opens them all with O_CLOEXEC), and the
    /// signal mask is emptied.
    /// @throws std::system_error naming the call that failed, in this process
    /// (pipe2, fork) or in the child (execve and the program, or in_child's call).
    explicit Child(const SpawnOptions& options);
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    /// The child's pid.
    [[nodiscard]] pid_t pid() const { return pid_; }
    /// How it ended, once reaped.
    [[nodiscard]] const std::optional<ExitStatus>& exit_status() const { return exit_status_; }

    /// Reaps the child if it has ended, without waiting.
    /// @return its exit status, or nothing while it runs.
    std::optional<ExitStatus> try_reap();
    /// Waits for the child to end and reaps it.
    /// @return its exit status, or nothing when @p deadline passed first.
    std::optional<ExitStatus> wait(Deadline deadline);
    /// Sends @p signal to the child (nothing once it was reaped).
    /// @throws std::system_error when kill fails.
    void send_signal(int signal) const;
    /// SIGKILLs the child unless it was reaped, and reaps it.
    /// @return how it ended (for a child that was already reaped: as it was then).
    ExitStatus kill_and_reap() noexcept;

private:
    pid_t pid_ = -1;
    std::optional<ExitStatus> exit_status_;
};

/// The absolute path of @p program found in $PATH ("" when not found).
std::string find_program(const std::string& program);

/// This process's environment, as "NAME=value" strings.
std::vector<std::string> current_environment();

} // namespace papaya::process
