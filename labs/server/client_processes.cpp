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

// TODO(lab 1): helpers for the methods below, if you want them

void ClientProcesses::spawn(const ClientHandler& handler, UniqueFd client, Listener& listener,
                            const sigset_t& child_mask)
{
    todo(1, "fork a process that runs handler(client); keep its pid; honour max_clients_", handler, client, listener, child_mask);
}

void ClientProcesses::reap()
{
    todo(1, "waitpid(-1, ..., WNOHANG) until no exited child is left; forget their pids");
}

void ClientProcesses::stop()
{
    todo(1, "SIGTERM every client process, wait up to 1.5 s for them (sigtimedwait on SIGCHLD), then SIGKILL the rest; reap all");
}

} // namespace papaya
