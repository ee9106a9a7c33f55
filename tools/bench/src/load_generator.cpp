#include "load_generator.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cmath>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <vector>

#include "clock.hpp"
#include "file_io.hpp"
#include "papaya/process/proc.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

namespace bench {

namespace {

constexpr std::uint32_t timer_tag = UINT32_MAX;

struct Client {
    papaya::UniqueFd fd;
    bool connecting = false;
    bool connected = false;
    bool closed = false;
    bool want_out = false;
    bool got_sync = false;
    std::string out;
    std::size_t out_off = 0;
    LineSplitter lines;
    std::int64_t next_send_ns = 0;
    std::uint32_t seq = 0;
};

enum class Phase { ramp, barrier, load, drain, done };

// How long this thread waited on a run queue: tells a starved generator from a busy one.
std::int64_t own_runqueue_wait_ns()
{
    const auto text = try_read_file("/proc/thread-self/schedstat");
    const auto s = text ? papaya::process::parse_schedstat(*text) : std::nullopt;
    return s ? static_cast<std::int64_t>(s->wait_ns) : 0;
}

class Generator {
public:
    Generator(const LoadConfig& c, DeliveryTracker& t, const WindowHook& h)
        : cfg_(c), tracker_(t), hook_(h), clients_(c.clients)
    {
        if (cfg_.clients == 0) throw std::invalid_argument("--clients must be at least 1");
        epoll_.reset(papaya::check_syscall(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1"));
        timer_.reset(papaya::check_syscall(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC),
                                           "timerfd_create"));
        itimerspec its{};
        its.it_interval.tv_sec = cfg_.tick_ns / 1'000'000'000;
        its.it_interval.tv_nsec = cfg_.tick_ns % 1'000'000'000;
        its.it_value = its.it_interval;
        papaya::check_syscall(::timerfd_settime(timer_.get(), 0, &its, nullptr), "timerfd_settime");
        add(timer_.get(), timer_tag, EPOLLIN);
    }

    LoadResult run()
    {
        const std::int64_t start = now_ns();
        // A ramp of 10,000 clients at 300/s takes 33 s by itself: the timeout is what it may take beyond that.
        const double ramp_s = cfg_.connect_rate > 0 ? cfg_.clients / cfg_.connect_rate : 0;
        const std::int64_t setup_deadline = start + static_cast<std::int64_t>((ramp_s + cfg_.setup_timeout_s) * 1e9);
        ramp_start_ = start;
        phase_ = Phase::ramp;
        std::vector<epoll_event> events(1024);
        while (phase_ != Phase::done) {
            const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), -1);
            if (n < 0) {
                if (errno == EINTR) continue;
                papaya::throw_syscall_error("epoll_wait");
            }
            const std::int64_t now = now_ns();
            bool tick = false;
            for (int i = 0; i < n; ++i) {
                const std::uint32_t tag = events[static_cast<std::size_t>(i)].data.u32;
                if (tag == timer_tag) {
                    std::uint64_t expirations = 0;
                    while (::read(timer_.get(), &expirations, sizeof expirations) < 0 && errno == EINTR) {
                    }
                    tick = true;
                } else {
                    on_socket(tag, events[static_cast<std::size_t>(i)].events, now);
                }
            }
            if (tick) on_tick(now_ns(), setup_deadline);
        }
        return result_;
    }

private:
    void add(int fd, std::uint32_t tag, std::uint32_t ev)
    {
        epoll_event e{};
        e.events = ev;
        e.data.u32 = tag;
        papaya::check_syscall(::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &e), "epoll_ctl");
    }

    void set_out_interest(std::uint32_t i, bool want)
    {
        Client& c = clients_[i];
        if (c.want_out == want || c.closed) return;
        epoll_event e{};
        e.events = EPOLLIN | (want ? EPOLLOUT : 0u);
        e.data.u32 = i;
        papaya::check_syscall(::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &e), "epoll_ctl");
        c.want_out = want;
    }

    void start_connect(std::uint32_t i)
    {
        Client& c = clients_[i];
        c.fd.reset(papaya::check_syscall(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), "socket"));
        const int one = 1;
        papaya::check_syscall(::setsockopt(c.fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), "setsockopt");
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(cfg_.port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int r;
        do {
            r = ::connect(c.fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
        } while (r < 0 && errno == EINTR);
        if (r < 0 && errno != EINPROGRESS) papaya::throw_syscall_error("connect");
        c.connecting = r < 0;
        add(c.fd.get(), i, EPOLLIN | (c.connecting ? EPOLLOUT : 0u));
        c.want_out = c.connecting;
        if (!c.connecting) on_connected(i);
    }

    void on_connected(std::uint32_t i)
    {
        Client& c = clients_[i];
        c.connecting = false;
        c.connected = true;
        ++connected_;
        if (!cfg_.key.empty()) c.out += cfg_.key;
        flush(i);
    }

    void close_client(std::uint32_t i)
    {
        Client& c = clients_[i];
        if (c.closed) return;
        c.closed = true;
        ++result_.disconnects;
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, c.fd.get(), nullptr);
        c.fd.reset();
    }

    void flush(std::uint32_t i)
    {
        Client& c = clients_[i];
        if (c.closed || !c.connected) return;
        while (c.out_off < c.out.size()) {
            const ssize_t n = ::send(c.fd.get(), c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) break;
                if (errno == EPIPE || errno == ECONNRESET) {
                    close_client(i);
                    return;
                }
                papaya::throw_syscall_error("send");
            }
            c.out_off += static_cast<std::size_t>(n);
        }
        const std::uint64_t backlog = c.out.size() - c.out_off;
        if (backlog > result_.max_backlog_bytes) result_.max_backlog_bytes = backlog;
        if (c.out_off == c.out.size()) {
            c.out.clear();
            c.out_off = 0;
        } else if (c.out_off > (1u << 20)) {
            c.out.erase(0, c.out_off);
            c.out_off = 0;
        }
        set_out_interest(i, !c.out.empty());
    }

    void on_socket(std::uint32_t i, std::uint32_t ev, std::int64_t now)
    {
        Client& c = clients_[i];
        if (c.closed) return;
        if (c.connecting && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
            int err = 0;
            socklen_t len = sizeof err;
            papaya::check_syscall(::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len), "getsockopt");
            if (err != 0) {
                errno = err;
                papaya::throw_syscall_error("connect");
            }
            on_connected(i);
        }
        if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_all(i, now);
        if (!c.closed && (ev & EPOLLOUT)) flush(i);
    }

    void read_all(std::uint32_t i, std::int64_t now)
    {
        Client& c = clients_[i];
        for (;;) {
            const ssize_t n = ::recv(c.fd.get(), buf_, sizeof buf_, 0);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) return;
                if (errno == ECONNRESET) {
                    close_client(i);
                    return;
                }
                papaya::throw_syscall_error("recv");
            }
            if (n == 0) {
                close_client(i);
                return;
            }
            c.lines.feed(std::string_view(buf_, static_cast<std::size_t>(n)), [&](std::string_view line) {
                const auto st = decode(line);
                if (st && st->kind == Kind::sync && st->nonce == cfg_.nonce) {
                    if (!c.got_sync) {
                        c.got_sync = true;
                        ++synced_;
                    }
                    return;
                }
                tracker_.on_stamp(i, st, now);
            });
            if (static_cast<std::size_t>(n) < sizeof buf_) return; // drained: spare the EAGAIN read
        }
    }

    void send_sync(std::uint32_t i)
    {
        Stamp st{cfg_.nonce, Kind::sync, i, 0, now_ns()};
        encode(st, cfg_.size, clients_[i].out);
        flush(i);
    }

    void begin_load(std::int64_t now)
    {
        phase_ = Phase::load;
        result_.barrier_s = static_cast<double>(now - barrier_start_) / 1e9;
        load_start_ = now + cfg_.tick_ns;
        result_.measure_start_ns = load_start_ + static_cast<std::int64_t>(cfg_.warmup_s * 1e9);
        result_.measure_end_ns = result_.measure_start_ns + static_cast<std::int64_t>(cfg_.measure_s * 1e9);
        tracker_.set_window(result_.measure_start_ns, result_.measure_end_ns);
        period_ns_ = cfg_.rate > 0 ? static_cast<std::int64_t>(1e9 / cfg_.rate) : INT64_MAX / 4;
        // Clients are spread evenly over one period so their sends do not bunch up.
        for (std::uint32_t i = 0; i < cfg_.clients; ++i)
            clients_[i].next_send_ns = load_start_ + period_ns_ / cfg_.clients * i;
        result_.intended_rate = cfg_.rate * cfg_.clients;
    }

    void on_tick(std::int64_t now, std::int64_t setup_deadline)
    {
        switch (phase_) {
        case Phase::ramp: {
            const auto due = static_cast<std::uint32_t>(std::min<double>(
                cfg_.clients, 1 + std::floor(static_cast<double>(now - ramp_start_) / 1e9 * cfg_.connect_rate)));
            while (started_ < due) start_connect(started_++);
            if (connected_ == cfg_.clients) {
                result_.ramp_s = static_cast<double>(now - ramp_start_) / 1e9;
                phase_ = Phase::barrier;
                barrier_start_ = now;
                // echo: everyone checks its own path; chat: one line must reach everyone;
                // append (no push): nothing comes back, so there is nothing to wait for.
                if (cfg_.fanout == Fanout::self)
                    for (std::uint32_t i = 0; i < cfg_.clients; ++i) send_sync(i);
                else if (cfg_.fanout == Fanout::all) send_sync(0);
            }
            break;
        }
        case Phase::barrier:
            if (cfg_.fanout == Fanout::none || synced_ == cfg_.clients) begin_load(now);
            break;
        case Phase::load: send_due(now); break;
        case Phase::drain:
            if (tracker_.outstanding() == 0 || now >= drain_deadline_) {
                result_.drained = tracker_.outstanding() == 0;
                phase_ = Phase::done;
                if (hook_) hook_(LoadEvent::before_close);
            }
            break;
        case Phase::done: break;
        }
        if ((phase_ == Phase::ramp || phase_ == Phase::barrier) && now > setup_deadline)
            throw std::runtime_error("setup timed out: " + std::to_string(connected_) + " of " +
                                     std::to_string(cfg_.clients) + " connected, " + std::to_string(synced_) +
                                     " passed the start barrier");
        if (result_.disconnects > 0 && (phase_ == Phase::ramp || phase_ == Phase::barrier))
            throw std::runtime_error("the server closed " + std::to_string(result_.disconnects) +
                                     " connection(s) during setup");
    }

    void send_due(std::int64_t now)
    {
        if (!window_started_ && now >= result_.measure_start_ns) {
            window_started_ = true;
            cpu_at_start_ = process_cpu_ns();
            wait_at_start_ = own_runqueue_wait_ns();
            if (hook_) hook_(LoadEvent::window_start);
        }
        const std::int64_t stop_at = result_.measure_end_ns;
        for (std::uint32_t i = 0; i < cfg_.clients; ++i) {
            Client& c = clients_[i];
            if (c.closed) continue;
            bool any = false;
            while (c.next_send_ns <= now && c.next_send_ns < stop_at) {
                const bool measured = c.next_send_ns >= result_.measure_start_ns;
                const Stamp st{cfg_.nonce, Kind::message, i, c.seq, c.next_send_ns};
                encode(st, cfg_.size, c.out);
                tracker_.on_send(i, c.seq, c.next_send_ns, measured);
                if (measured) {
                    ++result_.sent_in_window;
                    result_.send_lag.record(static_cast<std::uint64_t>(now - c.next_send_ns));
                }
                ++c.seq;
                c.next_send_ns += period_ns_;
                any = true;
            }
            if (any) flush(i);
        }
        if (now >= stop_at) {
            result_.generator_cpu_ns = process_cpu_ns() - cpu_at_start_;
            result_.generator_wait_ns = own_runqueue_wait_ns() - wait_at_start_;
            result_.achieved_rate = static_cast<double>(result_.sent_in_window) / cfg_.measure_s;
            if (hook_) hook_(LoadEvent::window_end);
            phase_ = Phase::drain;
            drain_deadline_ = now + static_cast<std::int64_t>(cfg_.drain_s * 1e9);
        }
    }

    const LoadConfig& cfg_;
    DeliveryTracker& tracker_;
    const WindowHook& hook_;
    std::vector<Client> clients_;
    papaya::UniqueFd epoll_;
    papaya::UniqueFd timer_;
    Phase phase_ = Phase::ramp;
    std::uint32_t started_ = 0;
    std::uint32_t connected_ = 0;
    std::uint32_t synced_ = 0;
    std::int64_t ramp_start_ = 0;
    std::int64_t barrier_start_ = 0;
    std::int64_t load_start_ = 0;
    std::int64_t period_ns_ = 0;
    std::int64_t drain_deadline_ = 0;
    std::int64_t cpu_at_start_ = 0;
    std::int64_t wait_at_start_ = 0;
    bool window_started_ = false;
    LoadResult result_;
    char buf_[65536];
};

} // namespace

LoadResult run_load(const LoadConfig& config, DeliveryTracker& tracker, const WindowHook& hook)
{
    auto gen = std::make_unique<Generator>(config, tracker, hook);
    return gen->run();
}

} // namespace bench
