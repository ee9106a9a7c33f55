// Lab 1: one process per client. The acceptor forks and goes straight back
// to accept(2), so one slow client cannot stall the door for everybody (the
// paper's availability argument); every child it forks it must also reap,
// or the process table fills with zombies.
#include "papaya/client_processes.hpp"

#include "papaya/service_log.hpp"
#include "papaya/signals.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <exception>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace papaya {

// @lab 1: helpers for the methods below, if you want them
namespace {

constexpr auto stop_grace = std::chrono::milliseconds(1500);

[[noreturn]] void run_child(const ClientHandler& handler, UniqueFd client, Listener& listener,
                            const sigset_t& child_mask)
{
    // [slide: run_child]
    listener.fd.reset();
    for (int signo : {SIGTERM, SIGINT, SIGCHLD}) reset_handler(signo);
    ::sigprocmask(SIG_SETMASK, &child_mask, nullptr);
    int status = 1;
    try {
        status = handler(std::move(client));
    } catch (const std::exception& error) {
        log_message(LogLevel::error, std::string("client: ") + error.what());
    }
    _exit(status); // not exit(): the acceptor's objects are not ours to destroy
    // [/slide]
}

} // namespace
// @end

void ClientProcesses::spawn(const ClientHandler& handler, UniqueFd client, Listener& listener,
                            const sigset_t& child_mask)
{
    // @lab 1(handler, client, listener, child_mask): fork a process that runs handler(client); keep its pid; honour max_clients_
    if (pids_.size() >= max_clients_) {
        log_message(LogLevel::warning,
                    "max-clients (" + std::to_string(max_clients_) + ") reached: a connection was closed");
        return;
    }
    // [slide: fork]
    const pid_t pid = ::fork();
    if (pid < 0) {
        log_message(LogLevel::error, syscall_error("fork").what());
        return;
    }
    if (pid == 0) run_child(handler, std::move(client), listener, child_mask);
    pids_.insert(pid);
    // [/slide]
    // @end
}

void ClientProcesses::reap()
{
    // @lab 1: waitpid(-1, ..., WNOHANG) until no exited child is left; forget their pids
    // [slide: reap]
    for (;;) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid == 0) return;
        if (pid < 0) {
            if (errno == EINTR) continue;
            return; // ECHILD: no children at all
        }
        // [/slide]
        if (pids_.erase(pid) == 0 && !stopping_)
            log_message(LogLevel::warning, "helper process " + std::to_string(pid) + " exited");
        else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM)
            log_message(LogLevel::warning, "client process " + std::to_string(pid) + " died of signal " +
                                               std::to_string(WTERMSIG(status)));
    }
    // @end
}

void ClientProcesses::stop()
{
    // @lab 1: SIGTERM every client process, wait up to 1.5 s for them (sigtimedwait on SIGCHLD), then SIGKILL the rest; reap all
    // [slide: stop_term]
    stopping_ = true;
    for (pid_t pid : pids_) ::kill(pid, SIGTERM);
    const sigset_t child = [] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        return set;
    }();
    // [/slide]
    const auto deadline = std::chrono::steady_clock::now() + stop_grace;
    for (;;) {
        reap();
        if (pids_.empty()) break;
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) break;
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
        const timespec timeout{.tv_sec = static_cast<time_t>(ns / 1000000000),
                               .tv_nsec = static_cast<long>(ns % 1000000000)};
        ::sigtimedwait(&child, nullptr, &timeout); // SIGCHLD is blocked: wait for it
    }
    for (pid_t pid : pids_) ::kill(pid, SIGKILL);
    // Every child, helpers included: nothing of the service may outlive it.
    while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
    pids_.clear();
    // @end
}

} // namespace papaya
