#include "chat_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "papaya/syscall_error.hpp"

namespace papaya::client_tests {

namespace {

UniqueFd loopback_socket(bool listen)
{
    UniqueFd fd(check_syscall(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    check_syscall(::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address), "bind");
    if (listen) check_syscall(::listen(fd.get(), 8), "listen");
    return fd;
}

std::uint16_t local_port(int fd)
{
    sockaddr_in address{};
    socklen_t size = sizeof address;
    check_syscall(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size), "getsockname");
    return ntohs(address.sin_port);
}

} // namespace

KeyedServer::KeyedServer(std::vector<std::string> args, std::string_view initial_log)
    : key(harness::random_key()), server(prepare(*this, std::move(args), initial_log))
{
}

std::vector<std::string> KeyedServer::prepare(KeyedServer& self, std::vector<std::string> args,
                                              std::string_view initial_log)
{
    self.key_file = harness::write_key_file(self.dir, self.key);
    self.log = self.dir.file("chat.log");
    harness::write_file(self.log, initial_log, 0600);
    args.insert(args.end(), {"--key-file", self.key_file.string(), "--log", self.log.string()});
    return args;
}

std::vector<std::string> KeyedServer::client_args(std::string_view name) const
{
    return {"--port", std::to_string(server.port()), "--key-file", key_file.string(), "--name", std::string(name)};
}

std::vector<std::string> KeyedServer::log_lines() const
{
    std::vector<std::string> lines;
    const std::string text = harness::read_file(log);
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
        lines.push_back(text.substr(start, end - start));
    }
    return lines;
}

harness::Client KeyedServer::connect() const
{
    harness::Client client{server.port()};
    client.send_key(key);
    return client;
}

FakeServer::FakeServer() : listener_(loopback_socket(true)), port_(local_port(listener_.get())) {}

UniqueFd FakeServer::accept(harness::Deadline deadline)
{
    pollfd p{.fd = listener_.get(), .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, deadline.poll_timeout_ms()) <= 0) harness::fail("the client did not connect to the fake server");
    return UniqueFd(check_syscall(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC), "accept4"));
}

bool read_until(int fd, std::string& bytes, std::string_view needle, harness::Deadline deadline)
{
    std::array<char, 4096> buffer{};
    while (bytes.find(needle) == std::string::npos) {
        pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
        if (::poll(&p, 1, deadline.poll_timeout_ms()) <= 0) return false;
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n <= 0) return false;
        bytes.append(buffer.data(), static_cast<std::size_t>(n));
    }
    return true;
}

std::uint16_t closed_port()
{
    const UniqueFd fd = loopback_socket(false);
    return local_port(fd.get()); // closed when fd goes: nothing listens there
}

} // namespace papaya::client_tests
