#include "papaya/harness/server_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <functional>

#include "papaya/harness/environment.hpp"
#include "papaya/harness/failure.hpp"
#include "papaya/syscall_error.hpp"

extern char** environ;

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

/// Parses `READY port=<p> pid=<pid>` exactly.
bool parse_ready_line(std::string_view line, std::uint16_t& port, pid_t& pid)
{
    constexpr std::string_view head = "READY port=";
    constexpr std::string_view middle = " pid=";
    if (!line.starts_with(head)) return false;
    line.remove_prefix(head.size());
    const auto split = line.find(middle);
    if (split == std::string_view::npos) return false;
    const std::string_view port_text = line.substr(0, split);
    const std::string_view pid_text = line.substr(split + middle.size());
    const auto all_digits = [](std::string_view s) {
        return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (!all_digits(port_text) || !all_digits(pid_text)) return false;
    const long p = std::stol(std::string(port_text));
    if (p <= 0 || p > 65535) return false;
    port = static_cast<std::uint16_t>(p);
    pid = static_cast<pid_t>(std::stol(std::string(pid_text)));
    return true;
}

std::string join_words(const std::vector<std::string>& words)
{
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
    return text;
}

} // namespace

ExitStatus ExitStatus::from_wait_status(int status)
{
    ExitStatus result;
    result.exited = WIFEXITED(status);
    result.code = result.exited ? WEXITSTATUS(status) : 0;
    result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return result;
}

std::string ExitStatus::describe() const
{
    if (exited) return "exit " + std::to_string(code);
    return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
}

ServerProcess::ServerProcess(std::vector<std::string> args, LaunchOptions options)
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
    if (options.add_allow_root && running_as_root() && !has_option(args, "--user")
        && !has_option(args, "--allow-root")) {
        argv_.emplace_back("--allow-root");
    }
    argv_.insert(argv_.end(), args.begin(), args.end());
    marker_ = std::string(marker_name) + "=" + random_token(20);
    try {
        launch(options);
        if (options.wait_ready) wait_ready(Deadline{options.ready_timeout});
    } catch (...) {
        stop();  // the destructor does not run when a constructor throws
        throw;
    }
}

ServerProcess::~ServerProcess()
{
    stop();
}

void ServerProcess::launch(const LaunchOptions& options)
{
    int err_pipe[2];
    int exec_pipe[2];
    int stop_pipe[2];
    papaya::check_syscall(::pipe2(err_pipe, O_CLOEXEC), "pipe2");
    stderr_read_.reset(err_pipe[0]);
    papaya::check_syscall(::fcntl(err_pipe[0], F_SETFL, O_NONBLOCK), "fcntl");  // the write end stays blocking
    papaya::UniqueFd err_write{err_pipe[1]};
    papaya::check_syscall(::pipe2(exec_pipe, O_CLOEXEC), "pipe2");
    papaya::UniqueFd exec_read{exec_pipe[0]};
    papaya::UniqueFd exec_write{exec_pipe[1]};
    papaya::check_syscall(::pipe2(stop_pipe, O_CLOEXEC), "pipe2");
    stop_read_.reset(stop_pipe[0]);
    stop_write_.reset(stop_pipe[1]);
    const papaya::UniqueFd dev_null{papaya::check_syscall(::open("/dev/null", O_RDONLY | O_CLOEXEC), "open")};

    // Everything the child needs is built before fork: after fork only
    // async-signal-safe calls are allowed (other threads may hold locks).
    std::vector<std::string> environment;
    for (char** e = environ; *e != nullptr; ++e) {
        if (!std::string_view{*e}.starts_with(std::string(marker_name) + "=")) environment.emplace_back(*e);
    }
    environment.push_back(marker_);
    std::vector<char*> envp;
    for (auto& e : environment) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_copy = argv_;
    std::vector<char*> argv;
    for (auto& a : argv_copy) argv.push_back(a.data());
    argv.push_back(nullptr);

    const pid_t pid = papaya::check_syscall(::fork(), "fork");
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(dev_null.get(), STDIN_FILENO);
        ::dup2(err_write.get(), STDERR_FILENO);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        const auto& groups = options.supplementary_groups;
        if (groups.empty() || ::setgroups(groups.size(), groups.data()) == 0) {
            ::execvpe(argv[0], argv.data(), envp.data());
        }
        const int error = errno;
        [[maybe_unused]] const ssize_t ignored = ::write(exec_write.get(), &error, sizeof error);
        ::_exit(127);
    }
    launched_pid_ = pid;
    ever_members_.insert(pid);
    ::setpgid(pid, pid);  // also in the parent, so the group exists whichever runs first (errors are harmless)
    err_write.reset();
    exec_write.reset();

    int exec_error = 0;
    ssize_t n = 0;
    do {
        n = ::read(exec_read.get(), &exec_error, sizeof exec_error);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof exec_error)) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        record_exit(status);
        fail("cannot execute the server command \"" + join_words(argv_) + "\": " + std::strerror(exec_error)
             + (options.supplementary_groups.empty() ? " (check PAPAYA_SERVER)" : " (or setgroups failed)"));
    }
    drain_thread_ = std::thread{[this] { drain_stderr(); }};
}

void ServerProcess::drain_stderr()
{
    for (;;) {
        pollfd fds[2] = {{stderr_read_.get(), POLLIN, 0}, {stop_read_.get(), POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents != 0) return;
        const std::lock_guard lock{mutex_};
        drain_available_locked();
        if (stderr_eof_) return;
    }
}

void ServerProcess::drain_available_locked() const
{
    // Reading under the lock (the pipe is non-blocking) keeps the bytes in
    // order when the test thread drains too, so that stderr_text() holds
    // everything written before it was called.
    char chunk[4096];
    while (!stderr_eof_ && stderr_read_) {
        const ssize_t n = ::read(stderr_read_.get(), chunk, sizeof chunk);
        if (n > 0) {
            stderr_.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        stderr_eof_ = true;  // end of file, or an error that ends reading just as well
    }
    parse_ready_locked();
    changed_.notify_all();
}

void ServerProcess::parse_ready_locked() const
{
    for (auto newline = stderr_.find('\n', parsed_upto_); newline != std::string::npos;
         newline = stderr_.find('\n', parsed_upto_)) {
        const std::string_view line{stderr_.data() + parsed_upto_, newline - parsed_upto_};
        std::uint16_t port = 0;
        pid_t pid = 0;
        if (parse_ready_line(line, port, pid)) {
            if (ready_lines_++ == 0) {
                port_ = port;
                ready_pid_ = pid;
            }
        }
        parsed_upto_ = newline + 1;
    }
}

void ServerProcess::wait_ready(Deadline deadline)
{
    std::unique_lock lock{mutex_};
    changed_.wait_until(lock, deadline.at(), [this] { return ready_lines_ > 0 || stderr_eof_; });
    if (ready_lines_ > 0) return;
    const bool eof = stderr_eof_;
    lock.unlock();
    if (eof) {
        const auto status = wait_exit(Deadline{settle(std::chrono::seconds{2})});
        fail_with_context("the server closed its stderr without printing `READY port=<p> pid=<pid>`"
                          + (status ? "; it ended with " + status->describe() : std::string{}));
    }
    fail_with_context("no `READY port=<p> pid=<pid>` line on stderr in time");
}

bool ServerProcess::ready() const
{
    const std::lock_guard lock{mutex_};
    return ready_lines_ > 0;
}

std::uint16_t ServerProcess::port() const
{
    const std::lock_guard lock{mutex_};
    if (ready_lines_ == 0) fail("port() asked before the server printed READY");
    return port_;
}

pid_t ServerProcess::pid() const
{
    const std::lock_guard lock{mutex_};
    if (ready_lines_ == 0) fail("pid() asked before the server printed READY");
    return ready_pid_;
}

std::string ServerProcess::stderr_text() const
{
    const std::lock_guard lock{mutex_};
    drain_available_locked();
    return stderr_;
}

bool ServerProcess::wait_for_stderr(std::string_view needle, Deadline deadline)
{
    std::unique_lock lock{mutex_};
    return changed_.wait_until(lock, deadline.at(),
                               [&] { return stderr_.find(needle) != std::string::npos || stderr_eof_; })
           && stderr_.find(needle) != std::string::npos;
}

int ServerProcess::ready_line_count() const
{
    const std::lock_guard lock{mutex_};
    drain_available_locked();
    return ready_lines_;
}

void ServerProcess::send_signal(int signal) const
{
    papaya::check_syscall(::kill(pid(), signal), "kill");
}

void ServerProcess::record_exit(int wait_status)
{
    exit_status_ = ExitStatus::from_wait_status(wait_status);
}

std::optional<ExitStatus> ServerProcess::wait_exit(Deadline deadline)
{
    if (exit_status_) return exit_status_;
    const auto reaped = [this] {
        int status = 0;
        pid_t r = 0;
        do {
            r = ::waitpid(launched_pid_, &status, WNOHANG);
        } while (r < 0 && errno == EINTR);
        if (r == launched_pid_) record_exit(status);
        return exit_status_.has_value();
    };
    // A pidfd becomes readable when the process ends: no polling needed.
    const papaya::UniqueFd pidfd{static_cast<int>(::syscall(SYS_pidfd_open, launched_pid_, 0))};
    if (!pidfd) {
        poll_until(reaped, deadline);
        return exit_status_;
    }
    for (;;) {
        pollfd p{pidfd.get(), POLLIN, 0};
        const int n = ::poll(&p, 1, deadline.poll_timeout_ms());
        if (n < 0 && errno == EINTR) continue;
        papaya::check_syscall(n, "poll");
        break;
    }
    reaped();
    return exit_status_;
}

ExitStatus ServerProcess::expect_exit(Deadline deadline)
{
    const auto started = Clock::now();
    if (const auto status = wait_exit(deadline)) return *status;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    fail_with_context("the server command (pid " + std::to_string(launched_pid_) + ") did not exit within "
                      + std::to_string(waited.count()) + " ms");
}

std::vector<ProcStat> ServerProcess::processes()
{
    const pid_t self = ::getpid();
    const std::vector<ProcStat> candidates = descendants_of(self, list_processes());
    std::set<pid_t> members;
    for (const auto& p : candidates) {
        const bool launched = p.pid == launched_pid_ && !exit_status_;
        const bool known_zombie = p.state == 'Z' && ever_members_.contains(p.pid);
        if (launched || known_zombie || environ_contains(p.pid, marker_)) members.insert(p.pid);
    }
    for (bool grew = true; grew;) {  // children of members are members (zombies have no environ)
        grew = false;
        for (const auto& p : candidates) {
            if (!members.contains(p.pid) && members.contains(p.ppid)) grew = members.insert(p.pid).second;
        }
    }
    std::vector<ProcStat> mine;
    for (const auto& p : candidates) {
        if (members.contains(p.pid)) mine.push_back(p);
    }
    ever_members_.insert(members.begin(), members.end());
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
        int status = 0;
        if (::waitpid(p.pid, &status, WNOHANG) == p.pid && p.pid == launched_pid_) record_exit(status);
    }
}

void ServerProcess::expect_no_processes_left(Deadline deadline)
{
    const auto started = Clock::now();
    std::vector<ProcStat> left;
    // Reaped zombies vanish from the next scan, so one more scan after reaping decides.
    if (poll_until([&] { return (left = processes()).empty(); }, deadline)) return;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    fail_with_context("expected every process of the server to be gone within " + std::to_string(waited.count())
                      + " ms, but these remain:\n" + describe(left));
}

void ServerProcess::stop() noexcept
{
    if (launched_pid_ > 0) {
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
        } catch (...) {  // NOLINT(bugprone-empty-catch): cleanup must go on
        }
        if (!exit_status_) {
            int status = 0;
            ::kill(launched_pid_, SIGKILL);
            if (::waitpid(launched_pid_, &status, 0) == launched_pid_) record_exit(status);
        }
    }
    if (drain_thread_.joinable()) {
        const char byte = 1;
        [[maybe_unused]] const ssize_t ignored = ::write(stop_write_.get(), &byte, 1);
        drain_thread_.join();
    }
}

void ServerProcess::fail_with_context(const std::string& message) const
{
    fail(message + "\n  command: " + join_words(argv_) + "\n  stderr so far: " + printable(stderr_text(), 4000));
}

} // namespace papaya::harness
