#include "netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <thread>

#include "papaya/harness/harness.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::lab5 {

const char* netns_program() { return PAPAYA_LAB5_NETNS; }

std::string netns_unavailable_reason()
{
    if (!std::filesystem::exists("/proc/sys/net/ipv6/bindv6only")) return "this kernel has no IPv6";
    const pid_t pid = check_syscall(::fork(), "fork");
    if (pid == 0) _exit(::unshare(CLONE_NEWNET) == 0 ? 0 : 1);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw_syscall_error("waitpid");
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    return "cannot create a network namespace here (unshare(CLONE_NEWNET) needs CAP_SYS_ADMIN)";
}

std::string netns_server_command()
{
    std::string command = std::string("'") + netns_program() + "'";
    for (const auto& word : harness::server_command()) {
        if (word.find('\'') != std::string::npos) harness::fail("the server command word " + word + " holds a quote");
        command += " '" + word + "'";
    }
    return command;
}

void run_in_netns_of(pid_t pid, const std::function<void()>& action)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    UniqueFd ns(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns) harness::fail("cannot open " + path + " (the server is gone?)");
    std::exception_ptr error;
    std::thread worker([&] {
        try {
            check_syscall(::setns(ns.get(), CLONE_NEWNET), "setns(CLONE_NEWNET)");
            action();
        } catch (...) {
            error = std::current_exception();
        }
    });
    worker.join();
    if (error) std::rethrow_exception(error);
}

} // namespace papaya::lab5
