// @lab 5: what this file gets wrong
// Labs 0 and 5: the listening socket. Without --bind we want IPv4 and IPv6
// clients on one socket: an AF_INET6 socket bound to :: also accepts IPv4
// (as ::ffff:a.b.c.d) -- but only when IPV6_V6ONLY is off, and its default
// comes from net.ipv6.bindv6only, which is 1 on FreeBSD and on some Linux
// hosts. The original papayaChat relied on the default and listened on IPv6
// only there; we set the option explicitly.
// @starter
// // The listening socket (given): without --bind, one socket for IPv4 and
// // IPv6 clients alike.
// @end
#include "papaya/listener.hpp"

#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <memory>
#include <netdb.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>

namespace papaya {

namespace {

void set_int_option(int fd, int level, int name, int value, const char* call)
{
    check_syscall(::setsockopt(fd, level, name, &value, sizeof value), call);
}

std::uint16_t bound_port(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    check_syscall(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), "getsockname");
    if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

Listener listen_on(int family, const sockaddr* address, socklen_t length, bool dual_stack)
{
    // [slide: dual_stack]
    UniqueFd fd(check_syscall(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
    // A restarted server must not wait for old connections in TIME_WAIT.
    set_int_option(fd.get(), SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)");
    // @lab 5: the IPv6 socket's options
    if (dual_stack) set_int_option(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 0, "setsockopt(IPV6_V6ONLY)");
    // @starter
    // (void)dual_stack;  // an IPv6 socket bound to :: takes IPv4 clients too
    // @end
    check_syscall(::bind(fd.get(), address, length), "bind");
    // [/slide]
    check_syscall(::listen(fd.get(), SOMAXCONN), "listen");
    const std::uint16_t port = bound_port(fd.get());
    return Listener{std::move(fd), port};
}

Listener listen_everywhere(std::uint16_t port)
{
    sockaddr_in6 any6{};
    any6.sin6_family = AF_INET6;
    any6.sin6_addr = in6addr_any;
    any6.sin6_port = htons(port);
    try {
        return listen_on(AF_INET6, reinterpret_cast<sockaddr*>(&any6), sizeof any6, true);
    } catch (const std::system_error& error) {
        if (error.code() != std::errc::address_family_not_supported) throw;
    }
    // A kernel without IPv6: IPv4 is all there is.
    sockaddr_in any4{};
    any4.sin_family = AF_INET;
    any4.sin_addr.s_addr = htonl(INADDR_ANY);
    any4.sin_port = htons(port);
    return listen_on(AF_INET, reinterpret_cast<sockaddr*>(&any4), sizeof any4, false);
}

} // namespace

Listener open_listener(const std::string& bind, std::uint16_t port)
{
    if (bind.empty()) return listen_everywhere(port);

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(bind.c_str(), service.c_str(), &hints, &found); rc != 0)
        throw std::runtime_error("cannot listen on '" + bind + "': " + ::gai_strerror(rc));
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
    return listen_on(found->ai_family, found->ai_addr, found->ai_addrlen, false);
}

} // namespace papaya
