// Start, stop and housekeeping (PROTOCOL.md sections 8, 10, 11, 12).
// The original's SIGTERM ended only the acceptor (clients kept chatting).
#include <gtest/gtest.h>

#include <csignal>
#include <set>

#include "chat_helpers.hpp"
#include "papaya/harness/skip.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

/// The contract's bound for SIGTERM to end every process.
constexpr auto stop_bound = 2s;

TEST(Lifecycle, SigtermEndsEveryProcessWithStatusZero)
{
    ServerProcess server;
    std::vector<Client> clients;
    for (int i = 0; i < 4; ++i) clients.push_back(join(server.port()));
    EXPECT_EQ(server.ready_line_count(), 1);

    const Deadline deadline{stop_bound};
    server.send_signal(SIGTERM);
    server.expect_no_processes_left(deadline);
    const auto status = server.wait_exit(Deadline{100ms});
    ASSERT_TRUE(status.has_value()) << "the server command was not reaped";
    EXPECT_TRUE(status->success()) << status->describe();
    for (auto& client : clients) client.expect_closed_within(deadline.remaining() + 100ms, true);
}

TEST(Lifecycle, NoZombiesAfterManyConnections)
{
    ServerProcess server;
    Client probe = join(server.port());
    // With the probe joined, every process the idle service keeps is there.
    std::set<pid_t> baseline;
    ASSERT_TRUE(harness::poll_until(
        [&] {
            const auto all = server.processes();
            baseline.clear();
            for (const auto& p : all) baseline.insert(p.pid);
            return live_processes(server).size() == all.size();
        },
        Deadline{5s}));

    for (int i = 0; i < 200; ++i) {
        if (i % 4 == 0) {
            join(server.port()); // a full session
            continue;
        }
        Client client{server.port()};
        switch (i % 4) {
        case 1: client.send(unique_line("partial")); break; // leaves mid-line
        case 2: client.shutdown_write(); break;             // half-close
        default: break;                                     // connect and go
        }
    }

    std::vector<harness::ProcStat> now;
    const bool back = harness::poll_until(
        [&] {
            now = server.processes();
            std::set<pid_t> pids;
            for (const auto& p : now) {
                if (p.state == 'Z') return false;
                pids.insert(p.pid);
            }
            return pids == baseline;
        },
        Deadline{10s});
    EXPECT_TRUE(back) << "expected back to the " << baseline.size() << " processes of before, without zombies; now:\n"
                      << harness::describe(now);
    sync(probe, {&probe});
}

TEST(Lifecycle, StraySigusr1KillsNoProcess)
{
    ServerProcess server;
    auto clients = join_many(server.port(), 2);
    Client& a = clients[0];
    Client& b = clients[1];
    const auto before = live_processes(server);
    for (const auto& p : before) ::kill(p.pid, SIGUSR1);
    // Chat afterwards: each SEND process gets SIGUSR1 again from inside, so a
    // handler that reset itself after one signal would now kill it.
    expect_delivered(a, {&a, &b});
    expect_delivered(b, {&a, &b});
    const auto after = live_processes(server);
    EXPECT_EQ(after.size(), before.size()) << "before:\n"
                                           << harness::describe(before) << "after:\n"
                                           << harness::describe(after);
}

TEST(Lifecycle, DaemonWritesPidfileAndStopsCleanly)
{
    // Every C++ engine daemonizes (main() forks before any thread starts).
    if (harness::server_kind() == harness::ServerKind::goroutines)
        GTEST_SKIP() << "not applicable to a goroutine server: --daemon forks, which a Go program cannot";
    const TempDir dir;
    const auto pidfile = dir.file("papayad.pid");
    ServerProcess server{{"--daemon", "--pidfile", pidfile.string()}};
    const auto status = server.expect_exit(Deadline{10s});
    EXPECT_TRUE(status.success()) << "the launching command: " << status.describe();
    EXPECT_NE(server.pid(), server.launched_pid()) << "READY must carry the daemon's pid";
    EXPECT_EQ(harness::read_file(pidfile), std::to_string(server.pid()) + "\n");

    auto clients = join_many(server.port(), 2);
    Client& a = clients[0];
    Client& b = clients[1];
    expect_delivered(a, {&a, &b});

    ASSERT_EQ(::kill(server.pid(), SIGTERM), 0);
    server.expect_no_processes_left(Deadline{stop_bound});
    EXPECT_FALSE(std::filesystem::exists(pidfile)) << "the pidfile is removed at a clean stop";
}

TEST(Lifecycle, PidfileHeldByARunningServerIsRefused)
{
    const TempDir dir;
    const auto pidfile = dir.file("papayad.pid");
    ServerProcess first{{"--pidfile", pidfile.string()}};
    EXPECT_EQ(harness::read_file(pidfile), std::to_string(first.pid()) + "\n");
    harness::LaunchOptions no_wait;
    no_wait.wait_ready = false;
    ServerProcess second{{"--pidfile", pidfile.string()}, no_wait};
    EXPECT_EQ(second.expect_exit(Deadline{10s}).describe(), "exit 1") << second.stderr_text();
    EXPECT_EQ(second.ready_line_count(), 0);
    EXPECT_EQ(harness::read_file(pidfile), std::to_string(first.pid()) + "\n") << "the pidfile was overwritten";
}

} // namespace
} // namespace papaya::integration
