#include "papaya/harness/client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "papaya/harness/environment.hpp"
#include "papaya/harness/failure.hpp"
#include "papaya/harness/tcp_table.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::harness {

namespace {

/// How long a send may wait for the server to make room in the socket buffer
/// (times PAPAYA_SETTLE_FACTOR).
constexpr std::chrono::milliseconds send_timeout_base{10000};

std::string family_name(Family family) { return family == Family::ipv4 ? "127.0.0.1" : "[::1]"; }

/// Waits for @p events on @p fd; false on timeout.
bool wait_for(int fd, short events, Deadline deadline)
{
    for (;;) {
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, deadline.poll_timeout_ms());
        if (n < 0 && errno == EINTR) continue;
        papaya::check_syscall(n, "poll");
        return n > 0;
    }
}

std::uint16_t local_port_of(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    papaya::check_syscall(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), "getsockname");
    if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
}

bool connection_broken(int error) { return error == EPIPE || error == ECONNRESET || error == ENOTCONN; }

} // namespace

Client::Client(std::uint16_t port, Family family, std::chrono::milliseconds timeout) : port_(port)
{
    const int domain = family == Family::ipv4 ? AF_INET : AF_INET6;
    fd_.reset(papaya::check_syscall(::socket(domain, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), "socket"));
    sockaddr_storage address{};
    socklen_t length = 0;
    if (family == Family::ipv4) {
        auto& in = reinterpret_cast<sockaddr_in&>(address);
        in.sin_family = AF_INET;
        in.sin_port = htons(port);
        in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        length = sizeof in;
    } else {
        auto& in6 = reinterpret_cast<sockaddr_in6&>(address);
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(port);
        in6.sin6_addr = in6addr_loopback;
        length = sizeof in6;
    }
    const std::string where = family_name(family) + ":" + std::to_string(port);
    if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0) {
        if (errno != EINPROGRESS) fail("connect to " + where + " failed: " + std::strerror(errno));
        if (!wait_for(fd_.get(), POLLOUT, Deadline{timeout})) {
            fail("connect to " + where + " did not complete within " + std::to_string(timeout.count()) + " ms");
        }
        int error = 0;
        socklen_t error_length = sizeof error;
        papaya::check_syscall(::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &error, &error_length), "getsockopt");
        if (error != 0) fail("connect to " + where + " failed: " + std::strerror(error));
    }
    local_port_ = local_port_of(fd_.get());
    if (const auto key = configured_key()) send_key(*key);
}

void Client::set_nodelay(bool on)
{
    const int value = on ? 1 : 0;
    papaya::check_syscall(::setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &value, sizeof value), "setsockopt");
}

bool Client::try_send(std::string_view bytes)
{
    const auto send_timeout = settle(send_timeout_base);
    const Deadline deadline{send_timeout};
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n >= 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!wait_for(fd_.get(), POLLOUT, deadline)) {
                fail("the server read nothing for " + std::to_string(send_timeout.count()) + " ms while " +
                     std::to_string(bytes.size()) + " bytes were left to send (client port " +
                     std::to_string(local_port_) + ")");
            }
        } else if (connection_broken(errno)) {
            return false;
        } else {
            papaya::throw_syscall_error("send");
        }
    }
    return true;
}

void Client::send(std::string_view bytes)
{
    if (!try_send(bytes)) {
        fail("the server closed the connection (client port " + std::to_string(local_port_) + ") while sending " +
             printable(bytes));
    }
}

std::size_t Client::send_available(std::string_view bytes)
{
    for (;;) {
        const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        if (connection_broken(errno)) {
            fail("the server closed the connection (client port " + std::to_string(local_port_) + ") while sending " +
                 printable(bytes));
        }
        papaya::throw_syscall_error("send");
    }
}

long Client::server_unread_bytes() const
{
    const auto entry = server_end(port_, local_port_);
    return entry ? static_cast<long>(entry->rx_queue) : -1;
}

void Client::send_segmented(std::string_view bytes, std::span<const std::size_t> sizes,
                            std::chrono::milliseconds per_segment_wait)
{
    if (sizes.empty()) fail("send_segmented needs at least one segment size");
    set_nodelay(true);
    bool wait_for_reads = per_segment_wait.count() > 0;
    for (std::size_t i = 0; !bytes.empty(); ++i) {
        if (i > 0 && wait_for_reads) {
            wait_for_reads = poll_until([this] { return server_unread_bytes() == 0; }, Deadline{per_segment_wait});
        }
        const std::size_t size = std::max<std::size_t>(1, sizes[i % sizes.size()]);
        const std::string_view segment = bytes.substr(0, size);
        send(segment);
        bytes.remove_prefix(segment.size());
    }
}

void Client::send_key(std::string_view key) { send(key); }

bool Client::fill(Deadline deadline)
{
    char chunk[65536];
    while (!eof_) {
        const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0) {
            eof_ = true;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!wait_for(fd_.get(), POLLIN, deadline)) return false;
        } else if (connection_broken(errno)) {
            eof_ = true;
        } else {
            papaya::throw_syscall_error("recv");
        }
    }
    return false;
}

bool Client::receive_available()
{
    char chunk[65536];
    while (!eof_) {
        const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
        } else if (n == 0 || (n < 0 && connection_broken(errno))) {
            eof_ = true;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else if (errno != EINTR) {
            papaya::throw_syscall_error("recv");
        }
    }
    return !eof_;
}

void Client::fail_read(std::string_view what, std::chrono::milliseconds timeout, bool timed_out) const
{
    const std::string reason = timed_out ? "timed out after " + std::to_string(timeout.count()) + " ms"
                                         : std::string{"the server closed the connection"};
    fail(reason + " while waiting for " + std::string(what) + " (server port " + std::to_string(port_) +
         ", client port " + std::to_string(local_port_) + "); received and not consumed: " + printable(buffer_));
}

std::string Client::read_line(std::chrono::milliseconds timeout, std::string_view expecting)
{
    const Deadline deadline{timeout};
    std::size_t searched = 0;
    for (;;) {
        const auto newline = buffer_.find('\n', searched);
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            return line;
        }
        searched = buffer_.size();
        if (!fill(deadline)) fail_read(expecting, timeout, !eof_);
    }
}

std::string Client::read_exact(std::size_t count, std::chrono::milliseconds timeout, std::string_view expecting)
{
    const Deadline deadline{timeout};
    while (buffer_.size() < count) {
        if (!fill(deadline)) {
            fail_read(std::to_string(count) + " bytes" + (expecting.empty() ? "" : " of " + std::string(expecting)),
                      timeout, !eof_);
        }
    }
    std::string bytes = buffer_.substr(0, count);
    buffer_.erase(0, count);
    return bytes;
}

bool Client::read_until_closed(Deadline deadline, std::string* received)
{
    while (!eof_ && fill(deadline)) {
    }
    if (received != nullptr) *received = buffer_;
    buffer_.clear();
    return eof_;
}

void Client::expect_closed_within(std::chrono::milliseconds within, bool allow_data)
{
    std::string received;
    const bool closed = read_until_closed(Deadline{within}, &received);
    if (!allow_data && !received.empty()) {
        fail("expected the server to close the connection without sending anything, but it sent " +
             printable(received) + (closed ? "" : " and kept the connection open"));
    }
    if (!closed) {
        fail("expected the server to close the connection within " + std::to_string(within.count()) +
             " ms (client port " + std::to_string(local_port_) + "), but it stayed open; received " +
             printable(received));
    }
}

void Client::expect_no_data_for(std::chrono::milliseconds quiet)
{
    if (buffer_.empty()) fill(Deadline{quiet});
    if (!buffer_.empty()) fail("expected nothing more from the server, but it sent " + printable(buffer_));
    if (eof_) fail("expected the connection to stay open, but the server closed it");
}

std::string Client::take_complete_lines()
{
    const auto last_newline = buffer_.rfind('\n');
    if (last_newline == std::string::npos) return {};
    std::string lines = buffer_.substr(0, last_newline + 1);
    buffer_.erase(0, last_newline + 1);
    return lines;
}

void Client::shutdown_write() { papaya::check_syscall(::shutdown(fd_.get(), SHUT_WR), "shutdown"); }

void Client::close() { fd_.reset(); }

} // namespace papaya::harness
