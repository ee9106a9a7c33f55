#include "papaya/harness/server_process.hpp"

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <functional>
#include <system_error>

#include "papaya/harness/environment.hpp"
#include "papaya/harness/failure.hpp"
#include "papaya/process/words.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::harness {

namespace {

/// Name of the environment variable that marks every process of one launch.
constexpr std::string_view marker_name = "PAPAYA_HARNESS_LAUNCH";

bool has_option(const std::vector<std::string>& args, std::string_view name)
{
    return std::any_of(args.begin(), args.end(), [name](const std::string& arg) {
        return arg == name || (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
    });
}

/// The value of `--name value` or `--name=value` in @p args, if present.
std::optional<std::string> option_value(const std::vector<std::string>& args, std::string_view name)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == name && i + 1 < args.size()) return args[i + 1];
        if (args[i].starts_with(name) && args[i].size() > name.size() && args[i][name.size()] == '=') {
            return args[i].substr(name.size() + 1);
        }
    }
    return std::nullopt;
}

} // namespace

ServerProcess::ServerProcess(std::vector<std::string> args, const LaunchOptions& options)
{
    become_child_subreaper();
    argv_ = server_command();
    if (options.add_port && !has_option(args, "--port")) argv_.insert(argv_.end(), {"--port", "0"});
    if (const auto log = option_value(args, "--log")) {
        log_path_ = *log;
    } else if (options.add_log) {
        log_path_ = work_dir_.file("chat.log");
        argv_.insert(argv_.end(), {"--log", log_path_.string()});
    }
    if (const auto key = configured_key(); key && options.add_key_file && !has_option(args, "--key-file")) {
        argv_.insert(argv_.end(), {"--key-file", write_key_file(work_dir_, *key).string()});
    }
    if (options.add_allow_root && running_as_root() && !has_option(args, "--user") &&
        !has_option(args, "--allow-root")) {
        argv_.emplace_back("--allow-root");
    }
    argv_.insert(argv_.end(), args.begin(), args.end());
    marker_ = std::string(marker_name) + "=" + random_token(20);
    try {
        launch(options);
        if (options.wait_ready) wait_ready(Deadline{options.ready_timeout});
    } catch (...) {
        stop(); // the destructor does not run when a constructor throws
        throw;
    }
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::launch(const LaunchOptions& options)
{
    process::SpawnOptions spawn;
    spawn.argv = argv_;
    spawn.search_path = true;
    spawn.new_process_group = true;
    spawn.environment = process::current_environment();
    const std::string marker_prefix = std::string(marker_name) + "=";
    std::erase_if(*spawn.environment, [&](const std::string& e) { return e.starts_with(marker_prefix); });
    spawn.environment->push_back(marker_);
    // Runs in the child between fork and exec: async-signal-safe calls only.
    spawn.in_child = [&options]() -> const char* {
        const auto& groups = options.supplementary_groups;
        if (!groups.empty() && ::setgroups(groups.size(), groups.data()) != 0) return "setgroups";
        const std::pair<int, std::optional<rlim_t>> limits[] = {{RLIMIT_FSIZE, options.file_size_limit},
                                                                {RLIMIT_NOFILE, options.open_files_limit},
                                                                {RLIMIT_NPROC, options.process_limit}};
        for (const auto& [resource, value] : limits) {
            const rlimit limit{value.value_or(0), value.value_or(0)};
            if (value && ::setrlimit(resource, &limit) != 0) return "setrlimit";
        }
        return nullptr;
    };
    try {
        server_.emplace(std::move(spawn));
    } catch (const std::system_error& e) {
        fail("cannot execute the server command \"" + process::join_words(argv_) + "\": " + e.what() +
             (std::string_view{e.what()}.starts_with("execve") ? " (check PAPAYA_SERVER)" : ""));
    }
    launched_pid_ = server_->child().pid();
    known_members_.insert(launched_pid_);
}

void ServerProcess::wait_ready(Deadline deadline)
{
    if (server_->wait_ready(deadline)) return;
    if (server_->stderr_closed()) {
        const auto status = wait_exit(Deadline{settle(std::chrono::seconds{2})});
        fail_with_context("the server closed its stderr without printing `READY port=<p> pid=<pid>`" +
                          (status ? "; it ended with " + status->describe() : std::string{}));
    }
    fail_with_context("no `READY port=<p> pid=<pid>` line on stderr in time");
}

bool ServerProcess::ready() const { return server_->ready().has_value(); }

std::uint16_t ServerProcess::port() const
{
    const auto ready = server_->ready();
    if (!ready) fail("port() asked before the server printed READY");
    return ready->port;
}

pid_t ServerProcess::pid() const
{
    const auto ready = server_->ready();
    if (!ready) fail("pid() asked before the server printed READY");
    return ready->pid;
}

std::string ServerProcess::stderr_text() const { return server_->stderr_text(); }

bool ServerProcess::wait_for_stderr(std::string_view needle, Deadline deadline)
{
    return server_->wait_for_stderr(needle, deadline);
}

int ServerProcess::ready_line_count() const { return server_->ready_line_count(); }

void ServerProcess::send_signal(int signal) const { papaya::check_syscall(::kill(pid(), signal), "kill"); }

const std::optional<ExitStatus>& ServerProcess::exit_status() const { return server_->child().exit_status(); }

std::optional<ExitStatus> ServerProcess::wait_exit(Deadline deadline) { return server_->child().wait(deadline); }

ExitStatus ServerProcess::expect_exit(Deadline deadline)
{
    const auto started = Clock::now();
    if (const auto status = wait_exit(deadline)) return *status;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    fail_with_context("the server command (pid " + std::to_string(launched_pid_) + ") did not exit within " +
                      std::to_string(waited.count()) + " ms");
}

std::vector<ProcStat> ServerProcess::processes()
{
    const pid_t self = ::getpid();
    const std::vector<ProcStat> candidates = descendants_of(self, list_processes());
    // A member is the launched command, the process that printed READY, or a
    // process whose environment carries this launch's marker; once seen, it
    // stays one: a zombie has no environment, and a process in the middle of
    // execve shows an empty one for an instant.
    const auto ready = server_ ? server_->ready() : std::nullopt;
    std::set<pid_t> members;
    for (const auto& p : candidates) {
        const bool launched = p.pid == launched_pid_ && !exit_status();
        const bool announced = ready && p.pid == ready->pid;
        if (launched || announced || known_members_.contains(p.pid) || environ_contains(p.pid, marker_))
            members.insert(p.pid);
    }
    for (bool grew = true; grew;) { // children of members are members (zombies have no environ)
        grew = false;
        for (const auto& p : candidates) {
            if (!members.contains(p.pid) && members.contains(p.ppid)) grew = members.insert(p.pid).second;
        }
    }
    std::vector<ProcStat> mine;
    for (const auto& p : candidates) {
        if (members.contains(p.pid)) mine.push_back(p);
    }
    known_members_ = members; // a pid gone from the table may be reused: forget it
    reap_zombie_children(mine);
    return mine;
}

std::vector<ProcessTree> ServerProcess::children()
{
    auto table = processes();
    std::erase_if(table, [](const ProcStat& p) { return p.state == 'Z' || p.state == 'X'; });
    const std::function<std::vector<ProcessTree>(pid_t)> below = [&](pid_t parent) {
        std::vector<ProcessTree> out;
        for (const auto& p : children_of(parent, table)) out.push_back({p, below(p.pid)});
        return out;
    };
    return below(pid());
}

void ServerProcess::reap_zombie_children(const std::vector<ProcStat>& mine)
{
    const pid_t self = ::getpid();
    for (const auto& p : mine) {
        if (p.ppid != self || p.state != 'Z') continue;
        if (p.pid == launched_pid_) {
            server_->child().try_reap();
        } else {
            int status = 0;
            ::waitpid(p.pid, &status, WNOHANG);
        }
    }
}

void ServerProcess::expect_no_processes_left(Deadline deadline)
{
    const auto started = Clock::now();
    std::vector<ProcStat> left;
    // Reaped zombies vanish from the next scan, so one more scan after reaping decides.
    if (poll_until([&] { return (left = processes()).empty(); }, deadline)) return;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    fail_with_context("expected every process of the server to be gone within " + std::to_string(waited.count()) +
                      " ms, but these remain:\n" + describe(left));
}

void ServerProcess::stop() noexcept
{
    if (server_) {
        try {
            poll_until(
                [this] {
                    const auto mine = processes();
                    for (const auto& p : mine) {
                        if (p.state != 'Z') ::kill(p.pid, SIGKILL);
                    }
                    return mine.empty();
                },
                Deadline{settle(std::chrono::seconds{10})});
        } catch (...) { // NOLINT(bugprone-empty-catch): cleanup must go on
        }
        server_->child().kill_and_reap();
    }
}

void ServerProcess::fail_with_context(const std::string& message) const
{
    fail(message + "\n  command: " + process::join_words(argv_) +
         "\n  stderr so far: " + printable(stderr_text(), 4000));
}

} // namespace papaya::harness
