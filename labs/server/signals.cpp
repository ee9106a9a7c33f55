// Signal dispositions (given), set up in one place.
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
/// Does nothing: the signal is caught rather than ignored, because an
/// ignored disposition survives execve(2) and a caught one is reset by it.
void discard(int) {}

/// System V signal() semantics, the same on every Unix.
constexpr int portable_flags = SA_RESETHAND | SA_NODEFER;
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
    set_disposition(signo, discard, portable_flags);
    // [/slide]
}

} // namespace papaya
