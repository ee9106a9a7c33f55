// Labs 0 and 1: the acceptor. It never talks to a client in lab 1 and
// later: it accepts, hands the connection to a new process, and goes back to
// waiting.
//
// Signals are blocked except inside ppoll(2), the one place the loop waits:
// a SIGCHLD or SIGTERM arriving anywhere else stays pending until then, so
// the loop can never miss one between checking a flag and going to sleep.
#include "papaya/accept_loop.hpp"

#include "papaya/client_processes.hpp"
#include "papaya/service_log.hpp"
#include "papaya/signals.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <cerrno>
#include <csignal>
#include <exception>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace papaya {

// @lab 0: helpers for run_accept_loop, if you want them
namespace {

volatile sig_atomic_t stop_requested = 0;

void request_stop(int) { stop_requested = 1; }
void note_child(int) {} // only there to interrupt ppoll; waitpid does the work
[[noreturn]] void exit_now(int) { _exit(0); }

sigset_t loop_signals()
{
    sigset_t set;
    sigemptyset(&set);
    for (int signo : {SIGTERM, SIGINT, SIGCHLD}) sigaddset(&set, signo);
    return set;
}

/// Chat lines are small writes: with Nagle's algorithm on, the kernel holds
/// one back until the peer acknowledges the previous one, and a delayed ACK
/// takes up to 40 ms (tools/bench/RESULTS.md measured p99 40 ms at 64 chat
/// clients). Go's net package turns it off for every connection; so do we.
void send_small_writes_at_once(int fd)
{
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on); // best effort: not fatal for a client
}

/// Lab 0's one-client-at-a-time server has nothing to clean up but the
/// client's socket, which the kernel closes: SIGTERM may end it at once.
void serve_inline(const ClientHandler& handler, UniqueFd client, const sigset_t& unblocked)
{
    install_handler(SIGTERM, exit_now, false);
    install_handler(SIGINT, exit_now, false);
    sigset_t saved;
    ::sigprocmask(SIG_SETMASK, &unblocked, &saved);
    try {
        handler(std::move(client));
    } catch (const NotImplemented&) {
        throw; // an unwritten lab is not one client's problem
    } catch (const std::exception& error) {
        log_message(LogLevel::error, std::string("client: ") + error.what());
    }
    ::sigprocmask(SIG_SETMASK, &saved, nullptr);
    install_handler(SIGTERM, request_stop, false);
    install_handler(SIGINT, request_stop, false);
}

} // namespace
// @end

SpareDescriptor::SpareDescriptor()
{
    // @lab 0: keep a descriptor open (e.g. of /dev/null) for shed_one()
    fd_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    // @end
}

bool SpareDescriptor::shed_one(int listener)
{
    // @lab 0(listener): free the spare, accept the pending connection with it and close that, take the spare again; say whether there was one
    fd_.reset();
    // Closed before the spare is taken again, or the spare finds no free slot.
    const bool dropped = static_cast<bool>(UniqueFd(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)));
    fd_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    return dropped;
    // @end
}

bool transient_accept_error(int error)
{
    // @lab 0(error): true for accept(2)'s errors that concern one connection or a passing shortage (accept(2), "Error handling")
    switch (error) {
    case EINTR:
    case ECONNABORTED:
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
    case EPROTO:
    case EPERM:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
    case EAGAIN: return true;
    default: return false;
    }
    // @end
}

void run_accept_loop(Listener& listener, const ClientHandler& handler, const AcceptLoopConfig& config)
{
    // @lab 0(listener, handler, config): accept clients until SIGTERM; serve each with handler, or ClientProcesses when config.fork_per_client
    stop_requested = 0;
    install_handler(SIGTERM, request_stop, false);
    install_handler(SIGINT, request_stop, false);
    install_handler(SIGCHLD, note_child, false);
    const sigset_t blocked = loop_signals();
    sigset_t original_mask;
    check_syscall(::sigprocmask(SIG_BLOCK, &blocked, &original_mask), "sigprocmask");
    sigset_t while_waiting = original_mask;
    for (int signo : {SIGTERM, SIGINT, SIGCHLD}) sigdelset(&while_waiting, signo);

    std::optional<ClientProcesses> clients;
    if (config.fork_per_client) clients.emplace(config.max_clients);
    SpareDescriptor spare;
    // [slide: ppoll]
    while (!stop_requested) {
        pollfd waiting{.fd = listener.fd.get(), .events = POLLIN, .revents = 0};
        const int ready = ::ppoll(&waiting, 1, nullptr, &while_waiting);
        if (ready < 0 && errno != EINTR) throw_syscall_error("ppoll");
        if (clients) clients->reap();
        if (stop_requested || ready <= 0) continue;

        UniqueFd client(::accept4(listener.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
        // [/slide]
        if (!client) {
            if (errno == EMFILE || errno == ENFILE) {
                if (spare.shed_one(listener.fd.get()))
                    log_message(LogLevel::warning, "out of file descriptors: a connection was dropped");
            } else if (!transient_accept_error(errno)) {
                throw_syscall_error("accept4");
            }
            continue;
        }
        send_small_writes_at_once(client.get());
        // [slide: dispatch]
        if (clients) clients->spawn(handler, std::move(client), listener, original_mask);
        else serve_inline(handler, std::move(client), while_waiting);
        // [/slide]
    }

    // [slide: shutdown]
    listener.fd.reset();
    if (config.on_stop) config.on_stop();
    if (clients) clients->stop();
    // [/slide]
    ::sigprocmask(SIG_SETMASK, &original_mask, nullptr);
    // @end
}

} // namespace papaya
