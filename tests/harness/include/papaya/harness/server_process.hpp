#pragma once
/// @file
/// @brief Starting the server under test and watching every process of it.

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "papaya/harness/deadline.hpp"
#include "papaya/harness/proc.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/process/child.hpp"
#include "papaya/process/server.hpp"

namespace papaya::harness {

using process::ExitStatus;

/// One live process of a service and the live processes it forked.
struct ProcessTree {
    ProcStat process;                  ///< The process.
    std::vector<ProcessTree> children; ///< Its live children, each with its own.
};

/// What the harness adds to the server's command line, and how long it waits.
struct LaunchOptions {
    /// Append `--port 0` unless the arguments hold `--port`.
    bool add_port = true;
    /// Append `--log <work dir>/chat.log` unless the arguments hold `--log`.
    bool add_log = true;
    /// When root, append `--allow-root` unless the arguments hold `--user` or `--allow-root`.
    bool add_allow_root = true;
    /// With a configured_key(), write it to `<work dir>/key` and append
    /// `--key-file` to it unless the arguments hold `--key-file`.
    bool add_key_file = true;
    /// Wait for the READY line in the constructor.
    bool wait_ready = true;
    /// How long the server has to print READY (10 s times PAPAYA_SETTLE_FACTOR).
    std::chrono::milliseconds ready_timeout = settle(std::chrono::milliseconds{10000});
    /// Root only: supplementary groups the server starts with (setgroups in
    /// the child before exec), so a test can see that it drops them.
    std::vector<gid_t> supplementary_groups;
    /// RLIMIT_FSIZE of the server in bytes (setrlimit in the child before
    /// exec): no file it writes grows past it, as on a full disk, without
    /// root or a small file system. A server that ignores SIGXFSZ gets EFBIG.
    std::optional<rlim_t> file_size_limit;
    /// RLIMIT_NOFILE of the server (setrlimit in the child before exec): how
    /// it copes when it cannot open one more descriptor (accept: EMFILE).
    std::optional<rlim_t> open_files_limit;
    /// RLIMIT_NPROC of the server: how it copes when fork fails (EAGAIN).
    /// The kernel ignores it for root, so it matters only with `--user`.
    std::optional<rlim_t> process_limit;
};

/// One launch of the server command (PAPAYA_SERVER plus arguments).
///
/// The command runs in its own process group as a process::ServerProcess
/// (stdin from /dev/null, stderr read continuously by a thread). Every process
/// of the service is tracked, even after it is orphaned or daemonised: the
/// test process is a child subreaper and each launch carries a unique marker
/// in its environment. Destruction (or stop())
/// SIGKILLs every process of this launch and reaps them.
class ServerProcess {
public:
    /// Starts the server with @p args after the harness's own arguments.
    /// @throws HarnessFailure when exec fails or, with wait_ready, READY does not come in time.
    explicit ServerProcess(std::vector<std::string> args = {}, const LaunchOptions& options = {});
    ~ServerProcess();

    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    /// Waits for `READY port=<p> pid=<pid>` on stderr.
    /// @throws HarnessFailure on timeout or when the server exits first (with its stderr).
    void wait_ready(Deadline deadline);
    /// True once READY was seen.
    [[nodiscard]] bool ready() const;
    /// The port from READY.
    [[nodiscard]] std::uint16_t port() const;
    /// The pid from READY (with --daemon: the daemon's, not the launched command's).
    [[nodiscard]] pid_t pid() const;
    /// The pid of the command the harness launched.
    [[nodiscard]] pid_t launched_pid() const { return launched_pid_; }
    /// The full argv that was executed.
    [[nodiscard]] const std::vector<std::string>& argv() const { return argv_; }
    /// The chat log the server was given (harness default or the test's `--log`).
    [[nodiscard]] std::filesystem::path log_path() const { return log_path_; }
    /// A directory owned by this launch, removed after the server is stopped.
    [[nodiscard]] const TempDir& work_dir() const { return work_dir_; }

    /// Everything the server wrote to stderr so far.
    [[nodiscard]] std::string stderr_text() const;
    /// Waits until stderr contains @p needle; false on timeout.
    bool wait_for_stderr(std::string_view needle, Deadline deadline);
    /// Number of READY lines seen (the contract says exactly one).
    [[nodiscard]] int ready_line_count() const;

    /// Sends @p signal to pid() (the READY pid).
    /// @throws std::system_error when kill fails.
    void send_signal(int signal) const;

    /// Waits for the launched command to end and reaps it.
    /// @return its exit status, or nothing when @p deadline passed first.
    std::optional<ExitStatus> wait_exit(Deadline deadline);
    /// Like wait_exit() but fails the test on timeout (message includes stderr).
    ExitStatus expect_exit(Deadline deadline);

    /// Every live or zombie process of this launch, now. Reaps those that are
    /// zombie children of the test process (orphans handed to the subreaper).
    std::vector<ProcStat> processes();
    /// The live processes under pid() (the READY pid: the acceptor), now, as
    /// a tree: its children, each with its children, and so on. Zombies and
    /// exiting processes are left out: they serve no client.
    std::vector<ProcessTree> children();
    /// Polls until no process of this launch remains (zombies included);
    /// fails with the list of what remained.
    void expect_no_processes_left(Deadline deadline);

    /// SIGKILLs every process of this launch and reaps them; idempotent.
    void stop() noexcept;

private:
    void launch(const LaunchOptions& options);
    void reap_zombie_children(const std::vector<ProcStat>& mine);
    [[nodiscard]] const std::optional<ExitStatus>& exit_status() const;
    [[noreturn]] void fail_with_context(const std::string& message) const;

    TempDir work_dir_{"papaya-server"};
    std::vector<std::string> argv_;
    std::filesystem::path log_path_;
    std::string marker_; // NAME=value placed in the launch's environment
    pid_t launched_pid_ = -1;
    std::set<pid_t> known_members_; // the members at the last scan (see processes())
    std::optional<process::ServerProcess> server_;
};

} // namespace papaya::harness
