// Labs 0, 1 and 6: the acceptor. It never talks to a client: it accepts,
// forks, and goes back to accept(2), so one slow client cannot stall the
// door for everybody (the paper's availability argument).
//
// Signals are blocked except inside ppoll(2), the one place the loop waits:
// a SIGCHLD or SIGTERM arriving anywhere else stays pending until then, so
// the loop can never miss one between checking a flag and going to sleep.
#include "papaya/accept_loop.hpp"

#include "papaya/service_log.hpp"
#include "papaya/signals.hpp"
#include "papaya/syscall_error.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <csignal>
#include <exception>
#include <fcntl.h>
#include <poll.h>
#include <set>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace papaya {

namespace {

volatile sig_atomic_t stop_requested = 0;

void request_stop(int) { stop_requested = 1; }
void note_child(int) {}  // only there to interrupt ppoll; waitpid does the work
[[noreturn]] void exit_now(int) { _exit(0); }

constexpr auto stop_grace = std::chrono::milliseconds(1500);

sigset_t loop_signals()
{
    sigset_t set;
    sigemptyset(&set);
    for (int signo : {SIGTERM, SIGINT, SIGCHLD}) sigaddset(&set, signo);
    return set;
}

/// Reaps every exited child and forgets the client processes among them.
/// Returns whether any child is left.
bool reap_children(std::set<pid_t>& clients, bool stopping = false)
{
    for (;;) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid == 0) return true;
        if (pid < 0) {
            if (errno == EINTR) continue;
            return false;  // ECHILD
        }
        if (clients.erase(pid) == 0 && !stopping)
            log_message(LogLevel::warning, "helper process " + std::to_string(pid) + " exited");
        else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM)
            log_message(LogLevel::warning, "client process " + std::to_string(pid) + " died of signal " +
                                               std::to_string(WTERMSIG(status)));
    }
}

/// EMFILE leaves the pending connection in the queue, and poll() reports it
/// again at once: a busy loop. Keeping one descriptor in reserve lets us
/// accept and close that connection (the technique of libev and nginx).
class SpareDescriptor {
public:
    SpareDescriptor() : fd_(::open("/dev/null", O_RDONLY | O_CLOEXEC)) {}
    void shed_one(int listener)
    {
        fd_.reset();
        UniqueFd(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
        fd_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    }

private:
    UniqueFd fd_;
};

/// accept(2) errors that concern one connection or a passing shortage, never the service.
bool transient(int error)
{
    switch (error) {
    case EINTR: case ECONNABORTED: case EMFILE: case ENFILE: case ENOBUFS: case ENOMEM:
    case EPROTO: case EPERM: case ENETDOWN: case ENOPROTOOPT: case EHOSTDOWN: case ENONET:
    case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH: case EAGAIN:
        return true;
    default:
        return false;
    }
}

/// Lab 0's one-client-at-a-time server has nothing to clean up but the
/// client's socket, which the kernel closes: SIGTERM may end it at once.
int serve_inline(const ClientHandler& handler, UniqueFd client, const sigset_t& unblocked)
{
    install_handler(SIGTERM, exit_now, false);
    install_handler(SIGINT, exit_now, false);
    sigset_t saved;
    ::sigprocmask(SIG_SETMASK, &unblocked, &saved);
    int status = 1;
    try {
        status = handler(std::move(client));
    } catch (const std::exception& error) {
        log_message(LogLevel::error, std::string("client: ") + error.what());
    }
    ::sigprocmask(SIG_SETMASK, &saved, nullptr);
    install_handler(SIGTERM, request_stop, false);
    install_handler(SIGINT, request_stop, false);
    return status;
}

[[noreturn]] void run_child(const ClientHandler& handler, UniqueFd client, Listener& listener,
                            const sigset_t& original_mask)
{
    // The port must close when the acceptor dies, so no child keeps it.
    listener.fd.reset();
    for (int signo : {SIGTERM, SIGINT, SIGCHLD}) reset_handler(signo);
    ::sigprocmask(SIG_SETMASK, &original_mask, nullptr);
    int status = 1;
    try {
        status = handler(std::move(client));
    } catch (const std::exception& error) {
        log_message(LogLevel::error, std::string("client: ") + error.what());
    }
    _exit(status);  // not exit(): the acceptor's objects are not ours to destroy
}

/// Stops the service: every client process gets SIGTERM, then SIGKILL
/// after the grace period; returns when all children are reaped.
void stop_clients(std::set<pid_t>& clients)
{
    for (pid_t pid : clients) ::kill(pid, SIGTERM);
    const sigset_t child = [] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        return set;
    }();
    const auto deadline = std::chrono::steady_clock::now() + stop_grace;
    for (;;) {
        if (!reap_children(clients, true)) return;
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) break;
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
        const timespec timeout{.tv_sec = static_cast<time_t>(ns / 1000000000),
                               .tv_nsec = static_cast<long>(ns % 1000000000)};
        ::sigtimedwait(&child, nullptr, &timeout);  // SIGCHLD is blocked: wait for it
    }
    for (pid_t pid : clients) ::kill(pid, SIGKILL);
    while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
}

} // namespace

void run_accept_loop(Listener& listener, const ClientHandler& handler, const AcceptLoopConfig& config)
{
    stop_requested = 0;
    install_handler(SIGTERM, request_stop, false);
    install_handler(SIGINT, request_stop, false);
    install_handler(SIGCHLD, note_child, false);
    const sigset_t blocked = loop_signals();
    sigset_t original_mask;
    check_syscall(::sigprocmask(SIG_BLOCK, &blocked, &original_mask), "sigprocmask");
    sigset_t while_waiting = original_mask;
    for (int signo : {SIGTERM, SIGINT, SIGCHLD}) sigdelset(&while_waiting, signo);

    std::set<pid_t> clients;
    SpareDescriptor spare;
    while (!stop_requested) {
        pollfd waiting{.fd = listener.fd.get(), .events = POLLIN, .revents = 0};
        const int ready = ::ppoll(&waiting, 1, nullptr, &while_waiting);
        if (ready < 0 && errno != EINTR) throw_syscall_error("ppoll");
        reap_children(clients);
        if (stop_requested || ready <= 0) continue;

        UniqueFd client(::accept4(listener.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!client) {
            if (errno == EMFILE || errno == ENFILE) {
                log_message(LogLevel::warning, "out of file descriptors: a connection was dropped");
                spare.shed_one(listener.fd.get());
            } else if (!transient(errno)) {
                throw_syscall_error("accept4");
            }
            continue;
        }
        if (!config.fork_per_client) {
            serve_inline(handler, std::move(client), while_waiting);
            continue;
        }
        if (clients.size() >= config.max_clients) {
            log_message(LogLevel::warning, "max-clients (" + std::to_string(config.max_clients) +
                                               ") reached: a connection was closed");
            continue;
        }
        const pid_t pid = ::fork();
        if (pid < 0) {
            log_message(LogLevel::error, std::string("fork: ") + std::strerror(errno));
            continue;
        }
        if (pid == 0) run_child(handler, std::move(client), listener, original_mask);
        clients.insert(pid);
    }

    listener.fd.reset();
    if (config.on_stop) config.on_stop();
    stop_clients(clients);
    ::sigprocmask(SIG_SETMASK, &original_mask, nullptr);
}

} // namespace papaya
