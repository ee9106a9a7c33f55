// Addresses and admission (PROTOCOL.md sections 8, 12). The original listened
// on IPv6 only where bindv6only was on, and its fix forced IPv4 only.
#include <gtest/gtest.h>

#include "chat_helpers.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

#define PAPAYA_REQUIRE_IPV6()                                                                                          \
    if (harness::ipv6_loopback_available()) {                                                                          \
    } else GTEST_SKIP() << "::1 is not available on this host"

TEST(Network, Ipv4ClientIsServedWithoutBind)
{
    ServerProcess server;
    Client client = join(server.port(), {}, Family::ipv4);
    expect_delivered(client, {&client});
}

TEST(Network, Ipv6ClientIsServedWithoutBind)
{
    PAPAYA_REQUIRE_IPV6();
    ServerProcess server;
    Client client = join(server.port(), {}, Family::ipv6);
    expect_delivered(client, {&client});
}

TEST(Network, Ipv4AndIpv6ClientsChatTogether)
{
    PAPAYA_REQUIRE_IPV6();
    ServerProcess server;
    Client v4 = join(server.port(), {}, Family::ipv4);
    Client v6 = join(server.port(), {}, Family::ipv6);
    sync(v4, {&v4, &v6});
    expect_delivered(v4, {&v4, &v6}, "from-v4");
    expect_delivered(v6, {&v4, &v6}, "from-v6");
}

/// Connects and tries to chat until the server serves the connection (it may
/// still count a client that just left); fails at @p deadline.
Client join_when_admitted(std::uint16_t port, Deadline deadline)
{
    for (;;) {
        Client client{port};
        const std::string line = unique_line("late");
        client.try_send(line + "\n");
        harness::poll_until(
            [&] { return !client.receive_available() || client.buffered().find(line + "\n") != std::string::npos; },
            deadline);
        if (client.buffered().find(line + "\n") != std::string::npos) {
            client.take_complete_lines();
            return client;
        }
        if (deadline.expired()) harness::fail("no connection was admitted after a client left");
    }
}

TEST(Network, MaxClientsClosesTheConnectionOverTheBound)
{
    ServerProcess server{{"--max-clients", "2"}};
    Client a = join(server.port());
    Client b = join(server.port());
    sync(a, {&a, &b});

    Client third{server.port()};
    third.expect_closed_within(2s); // at once, without a reply
    expect_delivered(a, {&a, &b});
    expect_delivered(b, {&a, &b});

    const auto a_port = a.local_port();
    a.close();
    expect_server_closed(server.port(), a_port);
    Client fourth = join_when_admitted(server.port(), Deadline{5s});
    sync(b, {&b, &fourth});
    expect_delivered(fourth, {&b, &fourth});
}

} // namespace
} // namespace papaya::integration
