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

// @lab 8: the loop's state and helpers, if you want them
namespace {

using Clock = std::chrono::steady_clock;

/// Connections accepted per wakeup at most: the clients already in come first.
constexpr int accepts_per_wakeup = 64;

/// One client's state: authenticating, then chatting.
struct Client {
    Client(UniqueFd socket, std::uint64_t id, std::size_t max_line) : fd(std::move(socket)), id(id), framer(max_line) {}
    UniqueFd fd;
    std::uint64_t id; // tells this client from a later one that gets the same descriptor number
    bool chatting = false;
    std::string key; // authenticating: the key's bytes so far
    LineFramer framer;
    std::uint64_t offset = 0; // chatting: the next byte of the log it is owed
    bool wants_out = false;   // EPOLLOUT asked for: it is behind
};

/// epoll's data for a client: its id and its descriptor, so that an event
/// for a client closed earlier in the same batch is recognised as stale.
std::uint64_t tag(const Client& client) { return client.id << 32 | static_cast<std::uint32_t>(client.fd.get()); }

class EventLoop {
public:
    EventLoop(Listener& listener, const SessionConfig& config, const EventLoopConfig& loop)
        : listener_(listener), config_(config), loop_(loop), writer_(config.log_path), reader_(config.log_path),
          log_end_(reader_.tail_offset(0))
    {
        epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
        if (!epoll_) throw_syscall_error("epoll_create1");
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGTERM);
        sigaddset(&stop_signals, SIGINT);
        // Blocked, they stay pending until the loop reads them from the signalfd.
        check_syscall(::sigprocmask(SIG_BLOCK, &stop_signals, nullptr), "sigprocmask");
        signals_.reset(::signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC));
        if (!signals_) throw_syscall_error("signalfd");
        const int flags = check_syscall(::fcntl(listener_.fd.get(), F_GETFL), "fcntl");
        check_syscall(::fcntl(listener_.fd.get(), F_SETFL, flags | O_NONBLOCK), "fcntl");
        watch(listener_.fd.get(), EPOLLIN, listener_.fd.get());
        watch(signals_.get(), EPOLLIN, signals_.get());
    }
    // SIGTERM and SIGINT stay blocked: the service is ending, and a second
    // signal must not turn a clean stop into a kill.
    ~EventLoop() = default;
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    void run()
    {
        std::array<epoll_event, 256> events{};
        for (;;) {
            const int ready = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), timeout_ms());
            if (ready < 0 && errno != EINTR) throw_syscall_error("epoll_wait");
            // [slide: loop]
            for (int i = 0; i < ready; ++i) {
                const epoll_event& event = events[static_cast<std::size_t>(i)];
                if (event.data.u64 == static_cast<std::uint64_t>(signals_.get())) return; // SIGTERM or SIGINT
                if (event.data.u64 == static_cast<std::uint64_t>(listener_.fd.get())) accept_clients();
                else on_client(event.data.u64, event.events);
            }
            expire_authentications();
            if (appended_) deliver();
            // [/slide]
        }
    }

private:
    void watch(int fd, std::uint32_t events, std::uint64_t data)
    {
        epoll_event event{.events = events, .data = {.u64 = data}};
        check_syscall(::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event), "epoll_ctl");
    }

    void want_out(Client& client, bool wanted)
    {
        if (client.wants_out == wanted) return;
        epoll_event event{.events = EPOLLIN | (wanted ? EPOLLOUT : 0u), .data = {.u64 = tag(client)}};
        check_syscall(::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, client.fd.get(), &event), "epoll_ctl");
        client.wants_out = wanted;
    }

    /// Milliseconds to the first authentication deadline, or -1 (none).
    int timeout_ms() const
    {
        if (deadlines_.empty()) return -1;
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadlines_.front().first - Clock::now());
        return static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
    }

    void accept_clients()
    {
        for (int n = 0; n < accepts_per_wakeup; ++n) {
            UniqueFd fd(::accept4(listener_.fd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
            if (!fd) {
                if (errno == EAGAIN || errno == EWOULDBLOCK) return;
                if (errno == EMFILE || errno == ENFILE) {
                    if (!spare_.shed_one(listener_.fd.get())) return; // the queue is empty
                    log_message(LogLevel::warning, "out of file descriptors: a connection was dropped");
                } else if (!transient_accept_error(errno)) {
                    throw_syscall_error("accept4");
                }
                continue;
            }
            if (clients_.size() >= loop_.max_clients) continue; // closed at once
            const int on = 1; // chat lines are small writes: no Nagle delay (accept_loop.cpp)
            ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            const int number = fd.get();
            Client& client = clients_.try_emplace(number, std::move(fd), ++last_id_, config_.max_line).first->second;
            try {
                watch(number, EPOLLIN, tag(client));
            } catch (const std::system_error& error) {
                log_message(LogLevel::error, std::string("client: ") + error.what());
                clients_.erase(number);
                continue;
            }
            if (config_.key) deadlines_.emplace_back(Clock::now() + config_.auth_timeout, tag(client));
            else start_chatting(client);
        }
    }

    /// Authenticated: the history offset is picked now, before any line of
    /// this client is read (PROTOCOL.md section 4).
    void start_chatting(Client& client)
    {
        // Lines appended earlier in this round first go to those caught up:
        // the offset picked below must not fall past what they were given.
        if (appended_) deliver();
        client.chatting = true;
        client.key.clear();
        client.key.shrink_to_fit();
        client.offset = reader_.tail_offset(config_.history);
        if (client.offset < log_end_) want_out(client, true);
    }

    void close_client(Client& client) { clients_.erase(client.fd.get()); } // close(2) leaves the epoll set

    void on_client(std::uint64_t data, std::uint32_t events)
    {
        const auto found = clients_.find(static_cast<int>(data & 0xffffffffu));
        if (found == clients_.end() || tag(found->second) != data) return; // closed earlier in this batch
        Client& client = found->second;
        if ((events & EPOLLOUT) != 0 && !catch_up(client)) return;
        if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) receive(client);
    }

    /// One read: the key's bytes, or lines to append. Closes the client at
    /// end of stream, on a wrong key, an overlong line or a full log.
    void receive(Client& client)
    {
        const ssize_t n = ::recv(client.fd.get(), buffer_.data(), buffer_.size(), 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        if (n <= 0) { // end of stream, or the peer reset it
            if (!client.chatting)
                log_message(LogLevel::warning, "authentication failed from " + peer_name(client.fd.get()) + ": " +
                                                   describe(AuthResult::closed));
            close_client(client);
            return;
        }
        std::string_view bytes(buffer_.data(), static_cast<std::size_t>(n));
        if (!client.chatting) {
            const std::size_t take = std::min(bytes.size(), key_size - client.key.size());
            client.key.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
            if (client.key.size() < key_size) return;
            if (!keys_equal(*config_.key, client.key)) {
                log_message(LogLevel::warning, "authentication failed from " + peer_name(client.fd.get()) + ": " +
                                                   describe(AuthResult::wrong_key));
                close_client(client);
                return;
            }
            start_chatting(client);
        }
        append_lines(client, bytes);
    }

    void append_lines(Client& client, std::string_view bytes)
    {
        const auto records = client.framer.feed(bytes);
        appended_ = appended_ || !records.empty();
        if (!append_records(writer_, records, client.fd.get())) {
            close_client(client);
            return;
        }
        if (client.framer.overlong()) {
            log_message(LogLevel::warning, "closing connection from " + peer_name(client.fd.get()) +
                                               ": line longer than " + std::to_string(config_.max_line) + " bytes");
            close_client(client);
        }
    }

    /// Writes as much of @p bytes as the socket takes now, and moves the
    /// client's offset past it. False when the client is gone (and closed).
    bool send_some(Client& client, std::string_view bytes)
    {
        for (;;) {
            const ssize_t n = ::send(client.fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n >= 0) {
                client.offset += static_cast<std::uint64_t>(n);
                return true;
            }
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
            close_client(client); // EPIPE, ECONNRESET: gone
            return false;
        }
    }

    /// A client that is behind, now writable: the next stretch of the log
    /// from its offset. False when it is gone.
    bool catch_up(Client& client)
    {
        scratch_.clear();
        reader_.read_lines_from(client.offset, scratch_);
        // Only up to what the loop has read itself: deliver() hands the rest
        // to every caught-up client at once.
        scratch_.resize(std::min<std::uint64_t>(scratch_.size(), log_end_ - client.offset));
        if (!send_some(client, scratch_)) return false;
        want_out(client, client.offset < log_end_);
        return true;
    }

    /// After appends: the new lines are read once and written to every
    /// client that is caught up; one that takes only part is behind from then on.
    void deliver()
    {
        appended_ = false;
        // [slide: deliver]
        for (;;) {
            fresh_.clear();
            const std::uint64_t start = log_end_;
            log_end_ = reader_.read_lines_from(start, fresh_);
            if (fresh_.empty()) return;
            for (auto it = clients_.begin(); it != clients_.end();) {
                Client& client = (it++)->second; // send_some may erase it
                if (!client.chatting || client.wants_out || client.offset != start) continue;
                if (send_some(client, fresh_) && client.offset < log_end_) want_out(client, true);
            }
        }
        // [/slide]
    }

    /// Clients whose key did not come in time. The deadlines are queued in
    /// the order of accept, which with one timeout is the order of expiry.
    void expire_authentications()
    {
        const auto now = Clock::now();
        while (!deadlines_.empty() && deadlines_.front().first <= now) {
            const std::uint64_t data = deadlines_.front().second;
            deadlines_.pop_front();
            const auto found = clients_.find(static_cast<int>(data & 0xffffffffu));
            if (found == clients_.end() || tag(found->second) != data || found->second.chatting) continue;
            log_message(LogLevel::warning, "authentication failed from " + peer_name(found->second.fd.get()) + ": " +
                                               describe(AuthResult::timed_out));
            clients_.erase(found);
        }
    }

    Listener& listener_;
    const SessionConfig& config_;
    const EventLoopConfig& loop_;
    UniqueFd epoll_;
    UniqueFd signals_;
    SpareDescriptor spare_;
    ChatLogWriter writer_;
    ChatLogReader reader_;
    std::uint64_t log_end_; // the loop has read and handed out the log up to here (a line boundary)
    bool appended_ = false;
    std::uint64_t last_id_ = 0;
    std::unordered_map<int, Client> clients_;
    std::deque<std::pair<Clock::time_point, std::uint64_t>> deadlines_;
    std::array<char, 16 * 1024> buffer_{};
    std::string scratch_;
    std::string fresh_;
};

} // namespace
// @end

void run_event_loop(Listener& listener, const SessionConfig& config, const EventLoopConfig& loop)
{
    // @lab 8(listener, config, loop): one thread: epoll over the listener, a signalfd and every client; see this lab's README
    EventLoop(listener, config, loop).run();
    // @end
}

} // namespace papaya
