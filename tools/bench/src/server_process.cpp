#include "server_process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

namespace bench {

namespace {

// Only async-signal-safe calls in this namespace: they run between fork and exec.

bool write_text(const char* path, const char* text) noexcept
{
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    std::size_t left = std::strlen(text);
    while (left > 0) {
        const ssize_t n = ::write(fd, text, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        text += n;
        left -= static_cast<std::size_t>(n);
    }
    ::close(fd);
    return left == 0;
}

// "0" writes the caller into a cgroup.procs file.
const char* join_cgroups(const std::vector<std::string>& procs_files) noexcept
{
    for (const auto& file : procs_files) {
        if (!write_text(file.c_str(), "0")) return "write cgroup.procs";
    }
    return nullptr;
}

const char* prepare_child(const SpawnOptions& options, const char* nice_text) noexcept
{
    if (const char* failed = join_cgroups(options.cgroup_procs_files)) return failed;
    // The server must not outlive the tool (SIGTERM: its normal, whole-service stop).
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) return "prctl";
    if (options.nice != 0) {
        (void)::setpriority(PRIO_PROCESS, 0, options.nice); // EACCES when not root: run anyway
        // With autogroups, nice only ranks tasks inside a group: the group's own
        // nice (/proc/self/autogroup) ranks it against other sessions' work.
        (void)write_text("/proc/self/autogroup", nice_text);
    }
    if (options.cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(options.cpu, &set);
        if (::sched_setaffinity(0, sizeof set, &set) != 0) return "sched_setaffinity";
    }
    return nullptr;
}

papaya::process::SpawnOptions spawn_options(const SpawnOptions& options, const std::string& nice_text)
{
    if (options.argv.empty()) throw std::invalid_argument("empty server command");
    papaya::process::SpawnOptions spawn;
    spawn.argv = options.argv;
    spawn.stdout_fd = papaya::process::SpawnOptions::null;
    // A session of its own puts the server in its own scheduler autogroup: in the
    // generator's group, 2000 runnable server processes on one cpu would shrink the
    // group's share on the generator's cpu to nothing and starve the generator.
    spawn.new_session = true;
    spawn.in_child = [&options, text = nice_text.c_str()] { return prepare_child(options, text); };
    return spawn;
}

} // namespace

ServerProcess::ServerProcess(const SpawnOptions& options)
    : nice_text_(std::to_string(options.nice)), server_(spawn_options(options, nice_text_))
{
}

std::uint16_t ServerProcess::wait_ready(papaya::process::Deadline deadline)
{
    if (const auto ready = server_.wait_ready(deadline)) return ready->port;
    const std::string text = server_.stderr_text();
    constexpr std::size_t tail = 4000;
    throw std::runtime_error("the server did not print READY (" +
                             std::string(server_.stderr_closed() ? "it exited" : "timeout") + "); its stderr" +
                             (text.size() > tail ? " ends" : "") + ":\n" +
                             text.substr(text.size() > tail ? text.size() - tail : 0));
}

StopResult ServerProcess::stop(std::chrono::milliseconds grace)
{
    auto& child = server_.child();
    if (const auto& status = child.exit_status()) return {*status, true};
    child.send_signal(SIGTERM);
    if (const auto status = child.wait(papaya::process::Deadline{grace})) return {*status, true};
    return {child.kill_and_reap(), false};
}

} // namespace bench
