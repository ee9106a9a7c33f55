// @lab 5: what this file gets wrong
// Lab 5: the original papayaChat declared `struct sigaction sa;` without
// initialising it, so sa_flags held stack garbage; where that garbage had
// SA_RESETHAND set, the SIGUSR1 handler uninstalled itself after the first
// signal and the second one killed the process. Zero-initialise, always.
// @starter
// // Signal dispositions (given), set up in one place.
// @end
#include "papaya/signals.hpp"

#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <csignal>

namespace papaya {

namespace {

void set_disposition(int signo, void (*handler)(int), int flags)
{
    // [slide: set_disposition]
    struct sigaction action {}; // every field zero, then only what we ask for
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    check_syscall(::sigaction(signo, &action, nullptr), "sigaction");
    // [/slide]
}

// [slide: starter_flags]
// @lab 5: the starter's helper for ignore_signal
// @starter
// /// Does nothing: the signal is caught rather than ignored, because an
// /// ignored disposition survives execve(2) and a caught one is reset by it.
// void discard(int) {}
//
// /// System V signal() semantics, the same on every Unix.
// constexpr int portable_flags = SA_RESETHAND | SA_NODEFER;
// @end
// [/slide]

} // namespace

void install_handler(int signo, void (*handler)(int), bool restart)
{
    set_disposition(signo, handler, restart ? SA_RESTART : 0);
}

void reset_handler(int signo) { set_disposition(signo, SIG_DFL, 0); }

void ignore_signal(int signo)
{
    // [slide: ignore]
    // @lab 5: ignore_signal's body
    set_disposition(signo, SIG_IGN, 0);
    // @starter
    // set_disposition(signo, discard, portable_flags);
    // @end
    // [/slide]
}

} // namespace papaya
