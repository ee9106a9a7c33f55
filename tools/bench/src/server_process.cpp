#include "server_process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdexcept>
#include <utility>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.hpp"
#include "papaya/syscall_error.hpp"

namespace bench {

namespace {

// Only async-signal-safe calls between fork and exec.
void child_write(int fd, const char* s) noexcept
{
    std::size_t len = std::strlen(s);
    while (len > 0) {
        const ssize_t n = ::write(fd, s, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        s += n;
        len -= static_cast<std::size_t>(n);
    }
}

[[noreturn]] void child_fail(const char* what) noexcept
{
    child_write(2, "papaya-bench: cannot start the server: ");
    child_write(2, what);
    child_write(2, "\n");
    ::_exit(127);
}

} // namespace

ServerProcess::ServerProcess(const SpawnOptions& options)
{
    if (options.argv.empty()) throw std::invalid_argument("empty server command");
    int fds[2];
    papaya::check_syscall(::pipe2(fds, O_CLOEXEC), "pipe2");
    stderr_.reset(fds[0]);
    papaya::UniqueFd write_end(fds[1]);
    stop_event_.reset(papaya::check_syscall(::eventfd(0, EFD_CLOEXEC), "eventfd"));

    std::vector<char*> argv;
    for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    cpu_set_t set;
    CPU_ZERO(&set);
    if (options.cpu >= 0) CPU_SET(options.cpu, &set);

    pid_ = static_cast<int>(papaya::check_syscall(::fork(), "fork"));
    if (pid_ == 0) {
        char pid_text[24];
        int len = 0;
        for (long v = ::getpid(); v > 0; v /= 10) pid_text[len++] = static_cast<char>('0' + v % 10);
        for (int i = 0; i < len / 2; ++i) std::swap(pid_text[i], pid_text[len - 1 - i]);
        pid_text[len] = '\0';
        for (const auto& f : options.cgroup_procs_files) {
            const int fd = ::open(f.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0) child_fail("open cgroup.procs");
            child_write(fd, pid_text);
            ::close(fd);
        }
        // A session of its own puts the server in its own scheduler autogroup: in the
        // generator's group, 2000 runnable server processes on one cpu would shrink the
        // group's share on the generator's cpu to nothing and starve the generator.
        if (::setsid() < 0) child_fail("setsid");
        // The server must not outlive the tool (SIGTERM: its normal, whole-service stop).
        if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) child_fail("prctl");
        if (options.nice != 0) {
            (void)::setpriority(PRIO_PROCESS, 0, options.nice); // EACCES when not root: run anyway
            // With autogroups, nice only ranks tasks inside a group: the group's own
            // nice (/proc/self/autogroup) ranks it against other sessions' work.
            const int fd = ::open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
            if (fd >= 0) {
                child_write(fd, options.nice_text);
                ::close(fd);
            }
        }
        if (options.cpu >= 0 && ::sched_setaffinity(0, sizeof set, &set) != 0) child_fail("sched_setaffinity");
        const int devnull = ::open("/dev/null", O_RDWR);
        if (devnull < 0) child_fail("open /dev/null");
        if (::dup2(devnull, 0) < 0 || ::dup2(devnull, 1) < 0 || ::dup2(write_end.get(), 2) < 0)
            child_fail("dup2");
        ::execv(argv[0], argv.data());
        child_fail(argv[0]);
    }
    write_end.reset();
    const long pidfd = ::syscall(SYS_pidfd_open, pid_, 0);
    if (pidfd >= 0) pidfd_.reset(static_cast<int>(pidfd));
    reader_ = std::thread([this] { read_stderr(); });
}

ServerProcess::~ServerProcess()
{
    if (!reaped_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
    const std::uint64_t one = 1;
    (void)!::write(stop_event_.get(), &one, sizeof one);
    if (reader_.joinable()) reader_.join();
}

void ServerProcess::read_stderr()
{
    std::string partial;
    char buf[4096];
    for (;;) {
        pollfd pfds[2] = {{stderr_.get(), POLLIN, 0}, {stop_event_.get(), POLLIN, 0}};
        if (::poll(pfds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pfds[1].revents) break;
        const ssize_t n = ::read(stderr_.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        partial.append(buf, static_cast<std::size_t>(n));
        std::size_t nl;
        std::lock_guard lock(mutex_);
        while ((nl = partial.find('\n')) != std::string::npos) {
            std::string line = partial.substr(0, nl);
            partial.erase(0, nl + 1);
            int port = 0;
            int pid = 0;
            if (!port_ && std::sscanf(line.c_str(), "READY port=%d pid=%d", &port, &pid) == 2) port_ = port;
            lines_.push_back(std::move(line));
            if (lines_.size() > 40) lines_.pop_front();
        }
        changed_.notify_all();
    }
    std::lock_guard lock(mutex_);
    eof_ = true;
    changed_.notify_all();
}

int ServerProcess::wait_ready(int timeout_ms)
{
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    if (!changed_.wait_until(lock, deadline, [this] { return port_.has_value() || eof_; }) || !port_) {
        std::string tail;
        for (const auto& l : lines_) tail += "  " + l + "\n";
        throw std::runtime_error("the server did not print READY (" + std::string(eof_ ? "it exited" : "timeout") +
                                 "); its stderr:\n" + tail);
    }
    return *port_;
}

std::string ServerProcess::stderr_tail() const
{
    std::lock_guard lock(mutex_);
    std::string tail;
    for (const auto& l : lines_) tail += "  " + l + "\n";
    return tail;
}

std::pair<int, bool> ServerProcess::stop(int grace_ms)
{
    if (reaped_) return {0, true};
    papaya::check_syscall(::kill(pid_, SIGTERM), "kill");
    bool in_time = false;
    const std::int64_t deadline = now_ns() + std::int64_t{grace_ms} * 1'000'000;
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) { in_time = true; break; }
        if (r < 0 && errno != EINTR) papaya::throw_syscall_error("waitpid");
        const std::int64_t left_ms = (deadline - now_ns()) / 1'000'000;
        if (left_ms <= 0) break;
        if (pidfd_) {
            pollfd p{pidfd_.get(), POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left_ms)) < 0 && errno != EINTR) papaya::throw_syscall_error("poll");
        } else {
            ::usleep(10000); // no pidfd (Linux < 5.3): poll the child's state
        }
    }
    if (!in_time) {
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, &status, 0) < 0)
            if (errno != EINTR) papaya::throw_syscall_error("waitpid");
    }
    reaped_ = true;
    return {status, in_time};
}

} // namespace bench
