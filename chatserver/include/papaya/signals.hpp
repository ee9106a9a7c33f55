#pragma once
/// @file
/// @brief Lab 5: installing signal dispositions that do not change behind your back.

namespace papaya {

/// Installs @p handler for @p signo with a zero-initialised struct sigaction:
/// no SA_RESETHAND, so the handler stays installed after the first signal.
/// @param signo the signal, e.g. SIGTERM.
/// @param handler the function to call, or SIG_IGN / SIG_DFL.
/// @param restart whether interrupted system calls restart (SA_RESTART).
/// @throws std::system_error("sigaction").
void install_handler(int signo, void (*handler)(int), bool restart);

/// Restores the default disposition of a signal (for a child after fork).
/// @param signo the signal.
void reset_handler(int signo);

/// Ignores @p signo for good, however many times it arrives: e.g. SIGPIPE,
/// so that writing to a closed connection is an EPIPE error instead of
/// death, and a stray SIGUSR1 in a process that does not expect it.
/// @throws std::system_error("sigaction").
void ignore_signal(int signo);

} // namespace papaya
