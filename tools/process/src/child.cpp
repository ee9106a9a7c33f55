#include "papaya/process/child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::process {

namespace {

/// What a child that could not exec tells its parent through the report pipe.
/// `call` points at a string literal: the child is a copy of the parent, so
/// the pointer means the same in both.
struct StartFailure {
    int error = 0;
    const char* call = nullptr;
};

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> out;
    for (std::string& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// Only async-signal-safe calls from here to the end of the namespace: they run
// in the child, between fork and exec.

[[noreturn]] void report_and_exit(int report_fd, const char* call) noexcept
{
    const StartFailure failure{errno, call};
    [[maybe_unused]] const ssize_t ignored = ::write(report_fd, &failure, sizeof failure);
    ::_exit(127);
}

bool redirect(int from, int to, int null_fd) noexcept
{
    if (from == SpawnOptions::inherit) return true;
    return ::dup2(from == SpawnOptions::null ? null_fd : from, to) >= 0;
}

} // namespace

ExitStatus ExitStatus::from_wait_status(int status)
{
    ExitStatus result;
    result.exited = WIFEXITED(status);
    result.code = result.exited ? WEXITSTATUS(status) : 0;
    result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    result.wait_status = status;
    return result;
}

std::string ExitStatus::describe() const
{
    if (exited) return "exit " + std::to_string(code);
    return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
}

Child::Child(const SpawnOptions& options)
{
    if (options.argv.empty()) throw std::invalid_argument("cannot start a child process: empty argv");
    // Everything the child needs is built before fork: after fork only
    // async-signal-safe calls are allowed (other threads may hold locks).
    std::vector<std::string> argv_strings = options.argv;
    std::vector<std::string> env_strings = options.environment ? *options.environment : current_environment();
    const std::vector<char*> argv = pointers(argv_strings);
    const std::vector<char*> envp = pointers(env_strings);
    const bool wants_null = options.stdin_fd == SpawnOptions::null || options.stdout_fd == SpawnOptions::null ||
                            options.stderr_fd == SpawnOptions::null;
    const UniqueFd null_fd{wants_null ? check_syscall(::open("/dev/null", O_RDWR | O_CLOEXEC), "open") : -1};
    int report[2];
    check_syscall(::pipe2(report, O_CLOEXEC), "pipe2");
    const UniqueFd report_read{report[0]};
    UniqueFd report_write{report[1]};
    sigset_t no_signals;
    sigemptyset(&no_signals);

    pid_ = check_syscall(::fork(), "fork");
    if (pid_ == 0) {
        const int fd = report_write.get();
        if (options.new_session && ::setsid() < 0) report_and_exit(fd, "setsid");
        if (options.new_process_group && ::setpgid(0, 0) < 0) report_and_exit(fd, "setpgid");
        if (!redirect(options.stdin_fd, STDIN_FILENO, null_fd.get()) ||
            !redirect(options.stdout_fd, STDOUT_FILENO, null_fd.get()) ||
            !redirect(options.stderr_fd, STDERR_FILENO, null_fd.get())) {
            report_and_exit(fd, "dup2");
        }
        ::sigprocmask(SIG_SETMASK, &no_signals, nullptr);
        if (options.in_child) {
            if (const char* failed = options.in_child()) report_and_exit(fd, failed);
        }
        if (options.search_path) {
            ::execvpe(argv[0], argv.data(), envp.data());
        } else {
            ::execve(argv[0], argv.data(), envp.data());
        }
        report_and_exit(fd, "execve");
    }
    // Also in the parent, so the group exists whichever runs first (an error is harmless).
    if (options.new_process_group) ::setpgid(pid_, pid_);
    report_write.reset();

    StartFailure failure;
    ssize_t n = 0;
    do {
        n = ::read(report_read.get(), &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof failure)) {
        kill_and_reap();
        throw std::system_error(failure.error, std::generic_category(),
                                std::string(failure.call) + " (starting " + options.argv.front() + ")");
    }
}

Child::~Child() { kill_and_reap(); }

std::optional<ExitStatus> Child::try_reap()
{
    if (exit_status_) return exit_status_;
    int status = 0;
    pid_t reaped = 0;
    do {
        reaped = ::waitpid(pid_, &status, WNOHANG);
    } while (reaped < 0 && errno == EINTR);
    if (reaped == pid_) exit_status_ = ExitStatus::from_wait_status(status);
    return exit_status_;
}

std::optional<ExitStatus> Child::wait(Deadline deadline)
{
    if (exit_status_) return exit_status_;
    // A pidfd becomes readable when the process ends: no polling needed.
    const UniqueFd pidfd{static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0))};
    if (!pidfd) { // Linux before 5.3
        poll_until([this] { return try_reap().has_value(); }, deadline);
        return exit_status_;
    }
    for (;;) {
        pollfd p{pidfd.get(), POLLIN, 0};
        const int n = ::poll(&p, 1, deadline.poll_timeout_ms());
        if (n < 0 && errno == EINTR) continue;
        check_syscall(n, "poll");
        break;
    }
    return try_reap();
}

void Child::send_signal(int signal) const
{
    if (exit_status_) return;
    check_syscall(::kill(pid_, signal), "kill");
}

ExitStatus Child::kill_and_reap() noexcept
{
    if (exit_status_ || pid_ <= 0) return exit_status_.value_or(ExitStatus{});
    ::kill(pid_, SIGKILL);
    int status = 0;
    pid_t reaped = 0;
    do {
        reaped = ::waitpid(pid_, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    // ECHILD: someone else reaped it (a wait(-1) elsewhere); nothing is left to say.
    exit_status_ = reaped == pid_ ? ExitStatus::from_wait_status(status) : ExitStatus{};
    return *exit_status_;
}

std::string find_program(const std::string& program)
{
    const char* path = std::getenv("PATH");
    std::string_view dirs = path == nullptr ? "/usr/bin:/bin" : path;
    while (!dirs.empty()) {
        const auto colon = dirs.find(':');
        const std::filesystem::path candidate = std::filesystem::path(dirs.substr(0, colon)) / program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        if (colon == std::string_view::npos) break;
        dirs.remove_prefix(colon + 1);
    }
    return {};
}

std::vector<std::string> current_environment()
{
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) env.emplace_back(*entry);
    return env;
}

} // namespace papaya::process
