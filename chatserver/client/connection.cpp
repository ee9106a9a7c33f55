#include "connection.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>

#include "papaya/fd_io.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::client {

namespace {

/// The protocol allows lines of up to 1 MiB (the largest --max-line).
constexpr std::size_t longest_received_line = 1024 * 1024;

std::string strip_brackets(const std::string& host)
{
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
    return host;
}

/// Waits for a non-blocking connect to finish; returns 0 or the errno it failed with.
int finish_connect(int fd, std::chrono::steady_clock::time_point deadline)
{
    using namespace std::chrono;
    for (;;) {
        const auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
        if (left <= 0) return ETIMEDOUT;
        pollfd p{.fd = fd, .events = POLLOUT, .revents = 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) continue;
        check_syscall(ready, "poll");
        if (ready == 0) continue;
        int error = 0;
        socklen_t size = sizeof error;
        check_syscall(::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size), "getsockopt");
        return error;
    }
}

} // namespace

std::string server_label(const std::string& host, std::uint16_t port)
{
    const std::string bare = strip_brackets(host);
    if (bare.find(':') != std::string::npos) return "[" + bare + "]:" + std::to_string(port);
    return bare + ":" + std::to_string(port);
}

UniqueFd connect_to(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout)
{
    const std::string bare = strip_brackets(host);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC; // IPv4 and IPv6 alike
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* found = nullptr;
    int status = ::getaddrinfo(bare.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (status == EAI_NONAME || status == EAI_ADDRFAMILY || status == EAI_NODATA) {
        // AI_ADDRCONFIG hides ::1 and 127.0.0.1 on a host without other addresses.
        hints.ai_flags = 0;
        status = ::getaddrinfo(bare.c_str(), std::to_string(port).c_str(), &hints, &found);
    }
    if (status == EAI_SYSTEM) throw_syscall_error("getaddrinfo", bare);
    if (status != 0) throw ConnectError("unknown host " + bare + ": " + ::gai_strerror(status));
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);

    const std::string where = server_label(host, port);
    int last_error = 0;
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
        UniqueFd fd(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol));
        if (!fd) {
            last_error = errno;
            continue;
        }
        // Non-blocking only to bound the connect by the timeout.
        int error = 0;
        if (::connect(fd.get(), a->ai_addr, a->ai_addrlen) != 0) {
            error = errno == EINPROGRESS || errno == EINTR
                        ? finish_connect(fd.get(), std::chrono::steady_clock::now() + timeout)
                        : errno;
        }
        if (error != 0) {
            last_error = error;
            continue;
        }
        const int flags = check_syscall(::fcntl(fd.get(), F_GETFL), "fcntl");
        check_syscall(::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK), "fcntl");
        return fd;
    }
    switch (last_error) {
    case ECONNREFUSED:
        throw ConnectError("cannot connect to " + where +
                           ": connection refused (is the server running, on that port?)");
    case ETIMEDOUT:
        throw ConnectError("cannot connect to " + where + ": no answer within " + std::to_string(timeout.count()) +
                           " ms");
    default: throw_syscall_error("connect", where, last_error);
    }
}

std::string closed_reason(bool received_anything, bool key_sent, std::chrono::steady_clock::duration lifetime)
{
    if (!received_anything && lifetime < auth_window) {
        if (key_sent) return "the server closed the connection during authentication: wrong key, or the server is full";
        return "the server closed the connection before sending anything: it may need a key (--key-file or "
               "PAPAYA_KEY), or it is full";
    }
    return "the server closed the connection";
}

ServerConnection::ServerConnection(const std::string& host, std::uint16_t port, const std::optional<Key>& key,
                                   std::chrono::milliseconds timeout)
    : fd_(connect_to(host, port, timeout)), framer_(longest_received_line),
      connected_at_(std::chrono::steady_clock::now())
{
    if (key) {
        // A server that is full may have closed already: that shows as a close
        // when reading, which says more than a failed write.
        if (!io::write_all(fd_.get(), std::string_view(key->data(), key->size()))) closed_ = true;
        key_sent_ = true;
    }
}

std::vector<std::string> ServerConnection::receive()
{
    std::vector<std::string> lines;
    if (closed_) return lines;
    std::array<char, 64 * 1024> buffer{};
    const std::size_t n = io::read_some(fd_.get(), buffer);
    if (n == 0) {
        closed_ = true;
        return lines;
    }
    received_anything_ = true;
    lines = framer_.feed(std::string_view(buffer.data(), n));
    for (std::string& line : lines) line.pop_back(); // the `\n`
    if (framer_.overlong()) {
        problem_ = "the server sent a line longer than " + std::to_string(longest_received_line) + " bytes";
        closed_ = true;
        fd_.reset();
    }
    return lines;
}

bool ServerConnection::send_line(std::string_view line)
{
    if (closed_) return false;
    std::string bytes(line);
    bytes.push_back('\n');
    if (!io::write_all(fd_.get(), bytes)) {
        closed_ = true;
        return false;
    }
    return true;
}

std::string ServerConnection::close_reason() const
{
    if (!problem_.empty()) return problem_;
    return closed_reason(received_anything_, key_sent_, std::chrono::steady_clock::now() - connected_at_);
}

} // namespace papaya::client
