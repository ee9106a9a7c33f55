// Lab 5: the original papayaChat declared `struct sigaction sa;` without
// initialising it, so sa_flags held stack garbage; where that garbage had
// SA_RESETHAND set, the SIGUSR1 handler uninstalled itself after the first
// signal and the second one killed the process. Zero-initialise, always.
#include "papaya/signals.hpp"

#include "papaya/syscall_error.hpp"

#include <csignal>

namespace papaya {

namespace {

void set_disposition(int signo, void (*handler)(int), int flags)
{
    struct sigaction action{};  // every field zero: no stray SA_RESETHAND, empty sa_mask
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    check_syscall(::sigaction(signo, &action, nullptr), "sigaction");
}

} // namespace

void install_handler(int signo, void (*handler)(int), bool restart)
{
    set_disposition(signo, handler, restart ? SA_RESTART : 0);
}

void reset_handler(int signo) { set_disposition(signo, SIG_DFL, 0); }

void ignore_sigpipe() { set_disposition(SIGPIPE, SIG_IGN, 0); }

} // namespace papaya
