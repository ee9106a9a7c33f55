// Lab 7: the process cluster of lab 6 as two threads per client. The RECV
// thread authenticates, picks the history offset, starts the SEND thread and
// appends the client's lines; the SEND thread writes the log to the client
// from that offset on and waits on a condition variable when it has caught
// up. Each session still has its own open file descriptions of the log, so
// flock(2) excludes its threads from the others' exactly as it excluded
// processes: a lock belongs to an open file description, not to a process.
//
// Threads share one descriptor table. Every descriptor a session needs is
// opened by the acceptor's thread, before the session's threads start: the
// acceptor's spare descriptor (kept to shed a connection when accept fails
// with EMFILE) can then never be taken by a session between the acceptor's
// close and its accept.
#include "papaya/client_threads.hpp"

#include "papaya/auth_privileges.hpp"
#include "papaya/chat_log.hpp"
#include "papaya/connection_io.hpp"
#include "papaya/line_framer.hpp"
#include "papaya/peer_text.hpp"
#include "papaya/service_log.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <array>
#include <atomic>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <sys/socket.h>
#include <system_error>
#include <thread>

namespace papaya {

struct ClientThreads::Session {
    Session(UniqueFd socket, const std::string& log_path)
        : client(std::move(socket)), writer(std::in_place, log_path), reader(std::in_place, log_path)
    {
    }
    /// Closes the session's descriptors as its RECV thread ends, so they do
    /// not wait for the acceptor's next join (under `descriptors`, as stop()
    /// may be shutting the socket down at that moment).
    void release()
    {
        const std::lock_guard lock(descriptors);
        client.reset();
        writer.reset();
        reader.reset();
    }
    std::mutex descriptors;
    UniqueFd client;
    std::optional<ChatLogWriter> writer; // this session's own open file descriptions of the log
    std::optional<ChatLogReader> reader;
    bool closing = false;            // guarded by LogGrowth's mutex: the SEND thread must stop
    std::atomic<bool> ended = false; // the RECV thread is done with the session
    std::thread recv;
};

// TODO(lab 7): helpers for the functions below, if you want them

void LogGrowth::announce()
{
    todo(7, "count the append under the mutex, then wake every waiting thread");
}

std::uint64_t LogGrowth::wait_beyond(std::uint64_t seen, const bool& stop)
{
    todo(7, "wait on the condition variable until the count differs from seen or stop is true; return the count", seen, stop);
}

void LogGrowth::raise(bool& flag)
{
    todo(7, "set flag under the mutex, then wake every waiting thread", flag);
}

ClientThreads::ClientThreads(const SessionConfig& config, unsigned max_clients)
    : config_(config), max_clients_(max_clients)
{
}

ClientThreads::~ClientThreads() { stop(); }

void ClientThreads::serve(UniqueFd client)
{
    todo(7, "join the sessions that ended; over max_clients close the client; else open its Session here and start its RECV thread", client);
}

void ClientThreads::join_finished()
{
    todo(7, "join and forget every session whose RECV thread has ended");
}

void ClientThreads::stop()
{
    todo(7, "raise every session's closing flag, shut down its socket (a blocked read or write returns), join every RECV thread");
}

} // namespace papaya
