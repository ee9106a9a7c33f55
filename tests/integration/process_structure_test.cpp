// The process cluster of papayad (PROTOCOL.md section 12): acceptor, anchor,
// and per client a RECV process with one SEND child in the anchor's group.
#include <gtest/gtest.h>

#include <csignal>

#include "chat_helpers.hpp"
#include "papaya/harness/skip.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

/// Why the live processes of @p server are not acceptor + anchor + N x
/// (RECV with one SEND child in the anchor's group); empty when they are.
std::string structure_mismatch(ServerProcess& server, std::size_t clients)
{
    const auto table = live_processes(server);
    const auto acceptor_children = harness::children_of(server.pid(), table);
    std::vector<harness::ProcStat> recvs;
    std::vector<harness::ProcStat> anchors;
    for (const auto& child : acceptor_children) {
        const auto grandchildren = harness::children_of(child.pid, table);
        if (grandchildren.size() == 1) recvs.push_back(child);
        if (grandchildren.empty()) anchors.push_back(child);
    }
    if (table.size() != 2 + 2 * clients) return "expected 2 + 2 x " + std::to_string(clients) + " processes";
    if (acceptor_children.size() != clients + 1) return "expected the acceptor to have N + 1 children";
    if (recvs.size() != clients) return "expected N acceptor children (RECV) with one child each";
    if (anchors.size() != 1) return "expected one acceptor child without children (the anchor)";
    const pid_t anchor = anchors.front().pid;
    if (anchors.front().pgid != anchor) return "expected the anchor to lead its process group";
    for (const auto& recv : recvs) {
        const auto send = harness::children_of(recv.pid, table).front();
        if (send.pgid != anchor) return "expected SEND " + std::to_string(send.pid) + " in the anchor's group";
        if (!harness::children_of(send.pid, table).empty()) return "expected SEND processes without children";
    }
    return {};
}

void expect_structure(ServerProcess& server, std::size_t clients)
{
    std::string mismatch;
    if (!harness::poll_until([&] { return (mismatch = structure_mismatch(server, clients)).empty(); }, Deadline{5s})) {
        ADD_FAILURE() << mismatch << " (N = " << clients << ", acceptor " << server.pid() << "):\n"
                      << harness::describe(live_processes(server));
    }
}

TEST(ProcessStructure, TwoProcessesPerClientUnderAcceptorAndAnchor)
{
    PAPAYA_REQUIRE_PROCESS_SERVER("counts RECV and SEND processes");
    ServerProcess server;
    expect_structure(server, 0);
    std::vector<Client> clients;
    for (std::size_t n = 1; n <= 3; ++n) {
        clients.push_back(join(server.port()));
        expect_structure(server, n);
    }
    const auto leaving = clients.back().local_port();
    clients.pop_back();
    expect_server_closed(server.port(), leaving);
    expect_structure(server, 2);
}

TEST(ProcessStructure, ClientsKeepChattingWhenTheAcceptorIsStoppedOrKilled)
{
    PAPAYA_REQUIRE_PROCESS_SERVER("signals the acceptor process");
    ServerProcess server;
    auto clients = join_many(server.port(), 2);
    Client& a = clients[0];
    Client& b = clients[1];

    server.send_signal(SIGSTOP);
    ASSERT_TRUE(harness::poll_until(
        [&] {
            const auto stat = harness::read_proc_stat(server.pid());
            return stat && stat->state == 'T';
        },
        Deadline{5s}));
    expect_delivered(a, {&a, &b}, "while-stopped");
    expect_delivered(b, {&a, &b}, "while-stopped");

    server.send_signal(SIGKILL);
    ASSERT_TRUE(server.wait_exit(Deadline{5s}).has_value()) << "the acceptor did not die";
    expect_delivered(a, {&a, &b}, "after-kill");
    expect_delivered(b, {&a, &b}, "after-kill");
}

} // namespace
} // namespace papaya::integration
