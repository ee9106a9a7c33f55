// Lab 5: one listener for IPv4 and IPv6 (PROTOCOL.md: without --bind the
// server listens on all IPv4 and IPv6 addresses). An AF_INET6 socket bound to
// :: takes IPv4 clients too only while IPV6_V6ONLY is off, and its default is
// net.ipv6.bindv6only: 0 on most Linux hosts, 1 on FreeBSD. The original
// papayaChat relied on the default and served IPv6 only on FreeBSD; the
// second test recreates FreeBSD's default in a network namespace.
#include <gtest/gtest.h>

#include <optional>

#include "chat_helpers.hpp"
#include "netns.hpp"
#include "papaya/harness/skip.hpp"
#include "portability_test.hpp"

namespace papaya::lab5 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using harness::Client;
using harness::Family;

/// A and B each send a line; both must receive both.
void expect_cross_delivery(Client& v4, Client& v6)
{
    step("the IPv4 client sends a line; expect both clients to receive it");
    integration::expect_delivered(v4, {&v4, &v6}, "from-ipv4");
    step("the IPv6 client sends a line; expect both clients to receive it");
    integration::expect_delivered(v6, {&v4, &v6}, "from-ipv6");
}

TEST_F(Lab5, Ipv4AndIpv6ClientsWithoutBind)
{
    declare_points(2, "Without --bind one listening socket must take IPv4 and IPv6 clients. `ss -ltn` shows what "
                      "your server listens on, `strace -f -e trace=socket,setsockopt,bind` how it set the socket "
                      "up; ipv6(7) says when an AF_INET6 socket also takes IPv4 clients.");
    if (!harness::ipv6_loopback_available()) GTEST_SKIP() << "not applicable: this machine has no IPv6 loopback (::1)";
    start_keyed_server();
    step("join a client over IPv4 (127.0.0.1) and one over IPv6 (::1): key, a line, read back");
    auto v4 = integration::join(server().port(), key, Family::ipv4);
    auto v6 = integration::join(server().port(), key, Family::ipv6);
    integration::sync(v6, {&v4, &v6});
    expect_cross_delivery(v4, v6);
}

TEST_F(Lab5, DualStackWhereBindv6onlyIsOn)
{
    declare_points(3, "IPv4 clients are refused where net.ipv6.bindv6only=1 (FreeBSD's default, the paper's bug). "
                      "Reproduce it in a network namespace (labs/05-portability/README.md), then find which "
                      "default your listener relies on: ipv6(7), and `strace -e trace=socket,setsockopt,bind`.");
    PAPAYA_REQUIRE_ROOT("creates a network namespace where net.ipv6.bindv6only=1");
    if (const auto why = netns_unavailable_reason(); !why.empty()) GTEST_SKIP() << "not applicable: " << why;
    start_keyed_server_in_new_netns();
    const pid_t pid = server().pid();
    std::optional<Client> v4;
    std::optional<Client> v6;
    step("in the server's network namespace: check net.ipv6.bindv6only is 1, then join a client over IPv4 "
         "(127.0.0.1) and one over IPv6 (::1): key, a line, read back");
    run_in_netns_of(pid, [&] {
        const std::string setting = harness::read_file("/proc/sys/net/ipv6/bindv6only");
        if (setting != "1\n")
            harness::fail("test setup: net.ipv6.bindv6only is " + setting + " in the namespace, not 1");
        v4.emplace(integration::join(server().port(), key, Family::ipv4));
        v6.emplace(integration::join(server().port(), key, Family::ipv6));
    });
    integration::sync(*v6, {&*v4, &*v6});
    expect_cross_delivery(*v4, *v6);
}

} // namespace
} // namespace papaya::lab5
