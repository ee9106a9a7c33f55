// papaya-floor: the least a server can do to deliver chat lines, for
// `papaya-bench floor` (floor.hpp). It accepts --clients connections, then
// writes one fixed line to each in turn, as fast as the kernel takes them,
// until SIGTERM. No parsing, no log, no wakeups: what it costs per line is the
// kernel's price of a delivery over loopback TCP. It speaks like the servers
// (READY on stderr, TCP_NODELAY on every connection, as theirs) so the bench
// starts, pins and measures it the same way.
#include <CLI/CLI.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <csignal>
#include <iostream>
#include <vector>

#include "floor.hpp"
#include "papaya/fd_io.hpp"
#include "papaya/process/limits.hpp"
#include "papaya/ready.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

namespace {

volatile std::sig_atomic_t stop_requested = 0;

extern "C" void request_stop(int) { stop_requested = 1; }

struct Listener {
    papaya::UniqueFd fd;
    std::uint16_t port = 0;
};

Listener listen_on(const std::string& bind, std::uint16_t port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (::inet_pton(AF_INET, bind.c_str(), &address.sin_addr) != 1)
        throw std::invalid_argument("--bind " + bind + ": not an IPv4 address");
    Listener listener{
        papaya::UniqueFd(papaya::check_syscall(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"))};
    const int on = 1;
    papaya::check_syscall(::setsockopt(listener.fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on), "setsockopt",
                          "SO_REUSEADDR");
    papaya::check_syscall(::bind(listener.fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address),
                          "bind", bind);
    papaya::check_syscall(::listen(listener.fd.get(), SOMAXCONN), "listen");
    socklen_t length = sizeof address;
    papaya::check_syscall(::getsockname(listener.fd.get(), reinterpret_cast<sockaddr*>(&address), &length),
                          "getsockname");
    listener.port = ntohs(address.sin_port);
    return listener;
}

/// The first @p clients connections; fewer when SIGTERM comes first.
std::vector<papaya::UniqueFd> accept_clients(const Listener& listener, std::uint32_t clients)
{
    std::vector<papaya::UniqueFd> connections;
    connections.reserve(clients);
    while (connections.size() < clients && stop_requested == 0) {
        const int fd = ::accept4(listener.fd.get(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            papaya::throw_syscall_error("accept4");
        }
        papaya::UniqueFd connection(fd);
        const int on = 1;
        papaya::check_syscall(::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on), "setsockopt", "TCP_NODELAY");
        connections.push_back(std::move(connection));
    }
    return connections;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"papaya-floor: accepts --clients connections, then writes one line of --size bytes to each in "
                 "turn, in a tight loop, until SIGTERM; each line is written whole. papaya-bench floor runs it."};
    std::string bind = "127.0.0.1";
    std::uint16_t port = 0;
    std::uint32_t clients = 1;
    std::size_t size = 64;
    app.add_option("--bind", bind, "IPv4 address to listen on")->capture_default_str();
    app.add_option("--port", port, "port to listen on (0: any free one, printed in READY)")->capture_default_str();
    app.add_option("--clients", clients, "connections to accept before writing")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    app.add_option("--size", size, "bytes per line, newline included")
        ->check(CLI::Range(8, 1 << 20))
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    try {
        struct sigaction action {};
        action.sa_handler = request_stop;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0; // no SA_RESTART: a blocked accept returns EINTR and sees the request
        papaya::check_syscall(::sigaction(SIGTERM, &action, nullptr), "sigaction", "SIGTERM");
        papaya::process::raise_open_files_limit();
        const Listener listener = listen_on(bind, port);
        papaya::announce_ready(listener.port);
        const std::vector<papaya::UniqueFd> connections = accept_clients(listener, clients);
        const std::string line = bench::floor_line(size);
        // write_all finishes a line through EINTR: the reader sees whole lines only.
        while (stop_requested == 0)
            for (const auto& connection : connections)
                if (!papaya::io::write_all(connection.get(), line))
                    throw std::runtime_error("a reader closed its connection before SIGTERM");
        return 0;
    } catch (const std::system_error& e) {
        std::cerr << "papaya-floor: " << e.what() << ": " << e.code().message() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "papaya-floor: " << e.what() << "\n";
    }
    return 1;
}
