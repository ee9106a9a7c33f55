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

// @lab 7: helpers for the functions below, if you want them
namespace {

/// The SEND thread: everything from @p offset to the end of the log, then a
/// wait for the next append, until the session closes or the client is gone.
void send_role(ClientThreads::Session& session, LogGrowth& growth, std::uint64_t offset)
{
    std::string batch;
    try {
        // The count is read before the log: an append after this point moves
        // it, and the wait below returns at once instead of sleeping.
        // [slide: send_thread]
        std::uint64_t seen = growth.wait_beyond(~std::uint64_t{0}, session.closing);
        for (;;) {
            for (;;) {
                batch.clear();
                offset = session.reader->read_lines_from(offset, batch);
                if (batch.empty()) break;
                if (!write_all(session.client.get(), batch)) return;
            }
            const std::uint64_t now = growth.wait_beyond(seen, session.closing);
            if (now == seen) return; // woken to stop, with nothing new
            seen = now;
        }
        // [/slide]
    } catch (const std::exception& error) {
        log_message(LogLevel::error, std::string("sender: ") + error.what());
    }
}

/// A session's SEND thread, ended and joined however RECV ends: a read error
/// too (a joinable std::thread that is destroyed ends the whole server).
class SendThread {
public:
    SendThread(ClientThreads::Session& session, LogGrowth& growth, std::uint64_t offset)
        : session_(session), growth_(growth), thread_([this, offset] { send_role(session_, growth_, offset); })
    {
    }
    // [slide: recv_thread]
    ~SendThread()
    {
        // SEND may be waiting for an append (woken here) or blocked in a write
        // to a client that does not read (woken by the shutdown).
        growth_.raise(session_.closing);
        ::shutdown(session_.client.get(), SHUT_RDWR);
        thread_.join();
    }
    // [/slide]
    SendThread(const SendThread&) = delete;
    SendThread& operator=(const SendThread&) = delete;

private:
    ClientThreads::Session& session_;
    LogGrowth& growth_;
    std::thread thread_; // last: started once the references above are set
};

/// The RECV thread: the session of serve_client() (lab 2), with a thread
/// where lab 3 forked a process.
void recv_role(ClientThreads::Session& session, LogGrowth& growth, const SessionConfig& config)
{
    const int fd = session.client.get();
    if (config.key) {
        const AuthResult result = authenticate_client(fd, *config.key, config.auth_timeout);
        if (result != AuthResult::accepted) {
            log_message(LogLevel::warning, "authentication failed from " + peer_name(fd) + ": " + describe(result));
            return;
        }
    }
    // Before reading any line of this client (PROTOCOL.md section 4).
    const std::uint64_t offset = session.reader->tail_offset(config.history);
    const SendThread send(session, growth, offset);
    LineFramer framer(config.max_line);
    std::array<char, 16 * 1024> buffer{};
    for (;;) {
        const std::size_t n = read_some(fd, buffer);
        if (n == 0) break; // a partial line left in the framer is discarded
        const auto records = framer.feed(std::string_view(buffer.data(), n));
        const bool stored = append_records(*session.writer, records, fd);
        if (!records.empty()) growth.announce();
        if (!stored) break;
        if (framer.overlong()) {
            log_message(LogLevel::warning, "closing connection from " + peer_name(fd) + ": line longer than " +
                                               std::to_string(config.max_line) + " bytes");
            break;
        }
    }
}

/// Session threads get no signal: SIGTERM and SIGCHLD must reach the
/// acceptor's ppoll(2), which a thread that took them would leave asleep.
class SignalsBlocked {
public:
    SignalsBlocked()
    {
        sigset_t all;
        sigfillset(&all);
        ::pthread_sigmask(SIG_SETMASK, &all, &saved_);
    }
    ~SignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
    SignalsBlocked(const SignalsBlocked&) = delete;
    SignalsBlocked& operator=(const SignalsBlocked&) = delete;

private:
    sigset_t saved_{};
};

} // namespace
// @end

void LogGrowth::announce()
{
    // @lab 7: count the append under the mutex, then wake every waiting thread
    {
        const std::lock_guard lock(mutex_);
        ++appends_;
    }
    changed_.notify_all();
    // @end
}

std::uint64_t LogGrowth::wait_beyond(std::uint64_t seen, const bool& stop)
{
    // @lab 7(seen, stop): wait on the condition variable until the count differs from seen or stop is true; return the count
    // [slide: wait_beyond]
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return appends_ != seen || stop; });
    return appends_;
    // [/slide]
    // @end
}

void LogGrowth::raise(bool& flag)
{
    // @lab 7(flag): set flag under the mutex, then wake every waiting thread
    {
        const std::lock_guard lock(mutex_);
        flag = true;
    }
    changed_.notify_all();
    // @end
}

ClientThreads::ClientThreads(const SessionConfig& config, unsigned max_clients)
    : config_(config), max_clients_(max_clients)
{
}

ClientThreads::~ClientThreads() { stop(); }

void ClientThreads::serve(UniqueFd client)
{
    // @lab 7(client): join the sessions that ended; over max_clients close the client; else open its Session here and start its RECV thread
    join_finished();
    if (sessions_.size() >= max_clients_) return; // closed at once, like the process server
    auto session = std::make_unique<Session>(std::move(client), config_.log_path);
    Session& started = *session;
    // [slide: serve]
    {
        const SignalsBlocked blocked; // the new thread inherits this mask
        started.recv = std::thread([&started, this] {
            try {
                recv_role(started, growth_, config_);
            } catch (const std::exception& error) {
                log_message(LogLevel::error, std::string("client: ") + error.what());
            }
            started.release();
            started.ended = true;
        });
    }
    // [/slide]
    sessions_.push_back(std::move(session));
    // @end
}

void ClientThreads::join_finished()
{
    // @lab 7: join and forget every session whose RECV thread has ended
    std::erase_if(sessions_, [](const std::unique_ptr<Session>& session) {
        if (!session->ended) return false;
        session->recv.join();
        return true;
    });
    // @end
}

void ClientThreads::stop()
{
    // @lab 7: raise every session's closing flag, shut down its socket (a blocked read or write returns), join every RECV thread
    for (auto& session : sessions_) {
        growth_.raise(session->closing);
        const std::lock_guard lock(session->descriptors);
        if (session->client) ::shutdown(session->client.get(), SHUT_RDWR);
    }
    for (auto& session : sessions_) session->recv.join();
    sessions_.clear();
    // @end
}

} // namespace papaya
