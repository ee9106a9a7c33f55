#include <sys/wait.h>

#include <algorithm>
#include <csignal>

#include <gtest/gtest.h>

#include "papaya/harness/environment.hpp"
#include "papaya/harness/failure.hpp"
#include "papaya/harness/server_process.hpp"
#include "papaya/harness/skip.hpp"
#include "support.hpp"

namespace papaya::harness {
namespace {

using namespace std::chrono_literals;
using self_test::failure_of;
using self_test::FakeServer;
using self_test::ready_line;

bool alive(pid_t pid)
{
    const auto stat = read_proc_stat(pid);
    return stat && stat->state != 'Z';
}

TEST(ServerProcess, ParsesReady)
{
    const FakeServer fake{std::string(ready_line) + "; exec sleep 30"};
    ServerProcess server;
    EXPECT_EQ(server.port(), 4321);
    EXPECT_EQ(server.pid(), server.launched_pid());
    EXPECT_EQ(server.ready_line_count(), 1);
    EXPECT_EQ(server.log_path(), server.work_dir().file("chat.log"));
}

TEST(ServerProcess, AppendsItsArgumentsBeforeTheTests)
{
    const FakeServer fake{std::string(ready_line) + "; exec sleep 30"};
    const ServerProcess server{{"--log", "/x/log", "--history", "3"}};
    const auto& argv = server.argv();
    const std::vector<std::string> tail(argv.end() - 4, argv.end());
    EXPECT_EQ(tail, (std::vector<std::string>{"--log", "/x/log", "--history", "3"}));
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "--log"), 1);
    EXPECT_EQ(server.log_path(), "/x/log");
    EXPECT_NE(std::find(argv.begin(), argv.end(), "--port"), argv.end());
    EXPECT_EQ(std::find(argv.begin(), argv.end(), "--allow-root") != argv.end(), running_as_root());
    const ServerProcess as_user{{"--user", "nobody"}};
    EXPECT_EQ(std::find(as_user.argv().begin(), as_user.argv().end(), "--allow-root"), as_user.argv().end());
}

TEST(ServerProcess, PassesTheConfiguredKeyInAKeyFile)
{
    const FakeServer fake{std::string(ready_line) + "; exec sleep 30"};
    const std::string key = random_key();
    const self_test::ScopedEnvironment keyed{"PAPAYA_AUTH_KEY", key};
    const ServerProcess server;
    const auto& argv = server.argv();
    const auto option = std::find(argv.begin(), argv.end(), "--key-file");
    ASSERT_NE(option, argv.end());
    ASSERT_NE(option + 1, argv.end());
    EXPECT_EQ(read_file(*(option + 1)), key + "\n");
    const ServerProcess own_key{{"--key-file", "/x/key"}};
    EXPECT_EQ(std::count(own_key.argv().begin(), own_key.argv().end(), "--key-file"), 1);
}

TEST(ServerProcess, ListsItsLiveChildrenAsATree)
{
    // The shell forks a sleep and a subshell that forks a sleep of its own.
    const FakeServer fake{"sleep 30 & (sleep 30 & wait) & " + std::string(ready_line) + "; wait"};
    ServerProcess server;
    std::vector<ProcessTree> tree;
    const auto shape = [&] {
        std::vector<std::size_t> grandchildren;
        for (const auto& child : tree) grandchildren.push_back(child.children.size());
        std::sort(grandchildren.begin(), grandchildren.end());
        return grandchildren;
    };
    const bool formed = poll_until(
        [&] {
            tree = server.children();
            return shape() == std::vector<std::size_t>{0, 1};
        },
        Deadline{5s});
    EXPECT_TRUE(formed) << describe(server.processes());
    for (const auto& child : tree) EXPECT_EQ(child.process.ppid, server.pid());
}

TEST(ServerProcess, ReportsAnExitBeforeReady)
{
    const FakeServer fake{"echo 'usage: bad option' >&2; exit 2"};
    const std::string message = failure_of([] { ServerProcess server; });
    EXPECT_NE(message.find("without printing `READY"), std::string::npos) << message;
    EXPECT_NE(message.find("exit 2"), std::string::npos) << message;
    EXPECT_NE(message.find("usage: bad option"), std::string::npos) << message;

    LaunchOptions no_wait;
    no_wait.wait_ready = false;
    ServerProcess server{{}, no_wait};
    EXPECT_EQ(server.expect_exit(Deadline{5s}).code, 2);
    EXPECT_TRUE(server.wait_for_stderr("bad option", Deadline{5s}));
}

TEST(ServerProcess, ReportsACommandThatCannotRun)
{
    const self_test::ScopedEnvironment missing{"PAPAYA_SERVER", "/nonexistent/papayad --stage 6"};
    const std::string message = failure_of([] { ServerProcess server; });
    EXPECT_NE(message.find("cannot execute"), std::string::npos) << message;
}

TEST(ServerProcess, TimesOutWithoutReady)
{
    const FakeServer fake{"echo starting >&2; exec sleep 30"};
    LaunchOptions options;
    options.ready_timeout = 100ms;
    const std::string message = failure_of([&] { ServerProcess server{{}, options}; });
    EXPECT_NE(message.find("no `READY"), std::string::npos) << message;
    EXPECT_NE(message.find("starting"), std::string::npos) << message;
}

TEST(ServerProcess, StopKillsTheWholeTreeIncludingOrphans)
{
    // Children, a grandchild, and an orphan in its own session (reparented to us).
    const FakeServer fake{"(sleep 30 & sleep 31 & wait) & (setsid sleep 32 &); " + std::string(ready_line) +
                          "; exec sleep 33"};
    std::vector<pid_t> pids;
    {
        ServerProcess server;
        ASSERT_TRUE(poll_until([&] { return server.processes().size() >= 5; }, Deadline{5s}))
            << describe(server.processes());
        for (const auto& p : server.processes()) pids.push_back(p.pid);
        const auto orphans = children_of(::getpid(), server.processes());
        EXPECT_GE(orphans.size(), 2u) << "the setsid orphan is reparented to the subreaper\n"
                                      << describe(server.processes());
        server.stop();
        EXPECT_TRUE(server.processes().empty());
    }
    for (const pid_t pid : pids) EXPECT_FALSE(alive(pid)) << pid;
}

TEST(ServerProcess, SeesAllProcessesGoneAfterSigterm)
{
    // SIGKILL: a child not yet exec'd would take SIGTERM for the shell's trap.
    const FakeServer fake{"trap 'kill -9 $!; wait; exit 0' TERM; sleep 30 & " + std::string(ready_line) + "; wait"};
    ServerProcess server;
    server.send_signal(SIGTERM);
    server.expect_no_processes_left(Deadline{5s});
    const auto status = server.wait_exit(Deadline{1s});
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(status->success()) << status->describe();
}

TEST(ServerProcess, ListsTheProcessesLeftBehind)
{
    const FakeServer fake{"setsid sleep 30 & " + std::string(ready_line) + "; exec sleep 31"};
    ServerProcess server;
    ASSERT_TRUE(poll_until([&] { return server.processes().size() == 2; }, Deadline{5s}));
    server.send_signal(SIGTERM);
    const std::string message = failure_of([&] { server.expect_no_processes_left(Deadline{200ms}); });
    EXPECT_NE(message.find("but these remain"), std::string::npos) << message;
    EXPECT_NE(message.find("name sleep"), std::string::npos) << message;
    const auto status = server.wait_exit(Deadline{1s});
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->signal, SIGTERM);
}

TEST(ServerProcess, FollowsADoubleForkedDaemon)
{
    // READY comes from a grandchild after the launched command exited 0.
    const FakeServer fake{"(sh -c 'echo \"READY port=4321 pid=$$\" >&2; exec sleep 30' &); exit 0"};
    ServerProcess server;
    const auto status = server.expect_exit(Deadline{5s});
    EXPECT_TRUE(status.success()) << status.describe();
    EXPECT_NE(server.pid(), server.launched_pid());
    const auto mine = server.processes();
    ASSERT_EQ(mine.size(), 1u) << describe(mine);
    EXPECT_EQ(mine.front().pid, server.pid());
    EXPECT_EQ(mine.front().ppid, ::getpid());
    server.send_signal(SIGTERM);
    server.expect_no_processes_left(Deadline{5s});
}

TEST(ServerProcess, StartsWithTheGivenSupplementaryGroups)
{
    PAPAYA_REQUIRE_ROOT("setgroups needs root");
    const FakeServer fake{std::string(ready_line) + "; exec sleep 30"};
    LaunchOptions options;
    options.supplementary_groups = {4242, 4343};
    ServerProcess server{{}, options};
    const auto status = read_proc_status(server.pid());
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->groups, (std::vector<gid_t>{4242, 4343}));
}

TEST(Proc, ReadsOwnStatus)
{
    const auto status = read_proc_status(::getpid());
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->uid[1], ::geteuid());
    EXPECT_EQ(status->gid[1], ::getegid());
    EXPECT_EQ(status->ppid, ::getppid());
    EXPECT_EQ(process_name(::getpid()), status->name);
}

} // namespace
} // namespace papaya::harness
