// Lab 8: every client from one thread. epoll(7) says which sockets are
// ready; nothing waits for a client: sockets are non-blocking, a write stops
// at EAGAIN and resumes when epoll reports the socket writable (EPOLLOUT,
// asked for only while a client is behind: level-triggered, a writable
// socket would otherwise wake the loop at once, again and again).
//
// The chat log is the only buffer. A client is owed everything from its
// offset in the log on; after the loop appends, it reads the new lines once
// and writes them to every client that is caught up, and a client that is
// behind catches up from the log at its own pace. Nobody's queue grows, and
// a client that never reads costs its offset, not memory.
//
// Level-triggered, not edge-triggered: one read per ready client per
// iteration keeps the loop fair (a client that floods cannot starve the
// others), and whatever is left is reported again on the next epoll_wait.
// With EPOLLET, every read and write would have to run to EAGAIN, or the
// readiness is never reported again.
#include "papaya/event_loop.hpp"

#include "papaya/accept_loop.hpp"
#include "papaya/auth_privileges.hpp"
#include "papaya/chat_log.hpp"
#include "papaya/client_session.hpp"
#include "papaya/line_framer.hpp"
#include "papaya/peer_text.hpp"
#include "papaya/service_log.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <deque>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>
#include <unordered_map>

namespace papaya {

// TODO(lab 8): the loop's state and helpers, if you want them

void run_event_loop(Listener& listener, const SessionConfig& config, const EventLoopConfig& loop)
{
    todo(8, "one thread: epoll over the listener, a signalfd and every client; see this lab's README", listener, config, loop);
}

} // namespace papaya
