#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

#include <gtest/gtest.h>

#include "papaya/harness/client.hpp"
#include "papaya/harness/failure.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"
#include "support.hpp"

namespace papaya::harness {
namespace {

using namespace std::chrono_literals;
using self_test::failure_of;

/// A listening socket on 127.0.0.1 whose accepted end the test drives by hand.
class Listener {
public:
    Listener()
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        papaya::check_syscall(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), "bind");
        papaya::check_syscall(::listen(fd_.get(), 8), "listen");
        socklen_t length = sizeof address;
        papaya::check_syscall(::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&address), &length), "getsockname");
        port_ = ntohs(address.sin_port);
    }
    [[nodiscard]] std::uint16_t port() const { return port_; }
    papaya::UniqueFd accept()
    {
        return papaya::UniqueFd{papaya::check_syscall(::accept(fd_.get(), nullptr, nullptr), "accept")};
    }

private:
    papaya::UniqueFd fd_{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    std::uint16_t port_ = 0;
};

void write_all(int fd, std::string_view bytes)
{
    ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
}

TEST(Client, ReadsLinesAndExactCounts)
{
    Listener listener;
    Client client{listener.port()};
    const auto server = listener.accept();
    write_all(server.get(), "one\ntwo\nthree");
    EXPECT_EQ(client.read_line(), "one");
    EXPECT_EQ(client.read_exact(4), "two\n");
    EXPECT_EQ(client.read_exact(5), "three");
}

TEST(Client, ATimedOutReadSaysWhatWasExpectedAndWhatArrived)
{
    Listener listener;
    Client client{listener.port()};
    const auto server = listener.accept();
    write_all(server.get(), "partial");
    const std::string message = failure_of([&] { client.read_line(50ms, "the greeting"); });
    EXPECT_NE(message.find("timed out after 50 ms while waiting for the greeting"), std::string::npos) << message;
    EXPECT_NE(message.find("\"partial\""), std::string::npos) << message;
}

TEST(Client, SeesTheServerClose)
{
    Listener listener;
    Client client{listener.port()};
    auto server = listener.accept();
    write_all(server.get(), "bye");
    server.reset();
    std::string received;
    EXPECT_TRUE(client.read_until_closed(Deadline{1s}, &received));
    EXPECT_EQ(received, "bye");
    EXPECT_TRUE(client.closed_by_server());
}

TEST(Client, ExpectClosedWithinFailsOnDataOrSilence)
{
    Listener listener;
    Client talker{listener.port()};
    const auto talker_end = listener.accept();
    write_all(talker_end.get(), "hello");
    EXPECT_NE(failure_of([&] { talker.expect_closed_within(30ms); }).find("without sending anything"),
              std::string::npos);
    Client silent{listener.port()};
    const auto silent_end = listener.accept();
    EXPECT_NE(failure_of([&] { silent.expect_closed_within(30ms); }).find("stayed open"), std::string::npos);
}

TEST(Client, SendsEverythingInTheGivenSegments)
{
    Listener listener;
    Client client{listener.port()};
    const auto server = listener.accept();
    const std::string message(100, 'k');
    const std::array<std::size_t, 2> sizes{1, 7};
    // Nobody reads on the server side here, so waiting for reads ends after
    // the first timeout and the rest goes without waiting.
    client.send_segmented(message, sizes, 20ms);
    std::string got(message.size(), '\0');
    std::size_t have = 0;
    while (have < got.size()) {
        const ssize_t n = ::read(server.get(), got.data() + have, got.size() - have);
        ASSERT_GT(n, 0);
        have += static_cast<std::size_t>(n);
    }
    EXPECT_EQ(got, message);
}

TEST(Client, SeesTheServersUnreadBytesInTheTcpTable)
{
    Listener listener;
    Client client{listener.port()};
    const auto server = listener.accept();
    client.send("12345");
    EXPECT_TRUE(poll_until([&] { return client.server_unread_bytes() == 5; }, Deadline{2s}));
    char buffer[5];
    ASSERT_EQ(::read(server.get(), buffer, sizeof buffer), 5);
    EXPECT_TRUE(poll_until([&] { return client.server_unread_bytes() == 0; }, Deadline{2s}));
}

TEST(Client, TakesCompleteLinesOnly)
{
    Listener listener;
    Client client{listener.port()};
    const auto server = listener.accept();
    write_all(server.get(), "a\nb\nc");
    EXPECT_TRUE(poll_until(
        [&] {
            client.receive_available();
            return client.buffered().size() == 5;
        },
        Deadline{2s}));
    EXPECT_EQ(client.take_complete_lines(), "a\nb\n");
    EXPECT_EQ(client.buffered(), "c");
}

TEST(Client, SendsTheConfiguredKeyFirst)
{
    const std::string key = random_key();
    const self_test::ScopedEnvironment keyed{"PAPAYA_AUTH_KEY", key};
    Listener listener;
    Client client{listener.port()};
    const auto server = listener.accept();
    client.send("hello\n");
    std::string got;
    const Deadline deadline{5s};
    while (got.size() < key.size() + 6) {
        pollfd readable{server.get(), POLLIN, 0};
        ASSERT_EQ(::poll(&readable, 1, deadline.poll_timeout_ms()), 1) << "received only " << printable(got);
        std::array<char, 256> chunk{};
        const ssize_t n = ::read(server.get(), chunk.data(), chunk.size());
        ASSERT_GT(n, 0);
        got.append(chunk.data(), static_cast<std::size_t>(n));
    }
    EXPECT_EQ(got, key + "hello\n");
}

} // namespace
} // namespace papaya::harness
