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

// TODO(lab 0): helpers for run_accept_loop, if you want them

SpareDescriptor::SpareDescriptor()
{
    todo(0, "keep a descriptor open (e.g. of /dev/null) for shed_one()");
}

bool SpareDescriptor::shed_one(int listener)
{
    todo(0, "free the spare, accept the pending connection with it and close that, take the spare again; say whether there was one", listener);
}

bool transient_accept_error(int error)
{
    todo(0, "true for accept(2)'s errors that concern one connection or a passing shortage (accept(2), \"Error handling\")", error);
}

void run_accept_loop(Listener& listener, const ClientHandler& handler, const AcceptLoopConfig& config)
{
    todo(0, "accept clients until SIGTERM; serve each with handler, or ClientProcesses when config.fork_per_client", listener, handler, config);
}

} // namespace papaya
