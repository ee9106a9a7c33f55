#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <system_error>

#include "papaya/process/child.hpp"
#include "papaya/process/proc.hpp"
#include "papaya/process/server.hpp"
#include "papaya/process/temp_dir.hpp"

namespace papaya::process {
namespace {

using namespace std::chrono_literals;

SpawnOptions shell(const std::string& script) { return SpawnOptions{.argv = {"/bin/sh", "-c", script}}; }

TEST(Child, ReportsHowItEnded)
{
    Child exits{shell("exit 3")};
    const auto status = exits.wait(Deadline{10s});
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->exited);
    EXPECT_EQ(status->code, 3);
    EXPECT_EQ(status->describe(), "exit 3");

    Child killed{shell("kill -TERM $$")};
    const auto signalled = killed.wait(Deadline{10s});
    ASSERT_TRUE(signalled);
    EXPECT_FALSE(signalled->exited);
    EXPECT_EQ(signalled->signal, SIGTERM);
}

TEST(Child, ThrowsNamingTheCallWhenItCannotStart)
{
    try {
        Child missing{SpawnOptions{.argv = {"/nonexistent/papaya-program"}}};
        FAIL() << "started a program that does not exist";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), ENOENT);
        EXPECT_NE(std::string(e.what()).find("execve (starting /nonexistent/papaya-program)"), std::string::npos)
            << e.what();
    }
    SpawnOptions refused = shell("exit 0");
    refused.in_child = [] {
        errno = EPERM;
        return "setrlimit";
    };
    EXPECT_THROW(Child{refused}, std::system_error);
}

TEST(Child, DestructionKillsAndReaps)
{
    pid_t pid = 0;
    {
        const Child sleeper{shell("exec sleep 30")};
        pid = sleeper.pid();
        ASSERT_TRUE(read_proc_stat(pid));
    }
    // Reaped: not even a zombie is left under this pid (our child no longer).
    const auto stat = read_proc_stat(pid);
    EXPECT_TRUE(!stat || stat->ppid != ::getpid()) << "pid " << pid << " is still our child";
}

TEST(Child, RedirectsStreamsAndSetsTheEnvironment)
{
    const TempDir dir{"papaya-process-test"};
    const auto out_path = dir.file("out");
    const UniqueFd out{::open(out_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)};
    SpawnOptions options = shell("echo \"$GREETING\"; cat");
    options.environment = std::vector<std::string>{"GREETING=hello"};
    options.stdin_fd = SpawnOptions::null;
    options.stdout_fd = out.get();
    Child child{options};
    ASSERT_TRUE(child.wait(Deadline{10s}));
    EXPECT_EQ(read_file(out_path), "hello\n");
}

TEST(ServerProcess, FindsTheReadyLine)
{
    ServerProcess server{shell("echo noise >&2; echo 'READY port=4321 pid=77' >&2; exec sleep 30")};
    const auto ready = server.wait_ready(Deadline{10s});
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->port, 4321);
    EXPECT_EQ(ready->pid, 77);
    EXPECT_EQ(server.ready_line_count(), 1);
    EXPECT_NE(server.stderr_text().find("noise\n"), std::string::npos);
}

TEST(ServerProcess, SaysWhenStderrClosedWithoutReady)
{
    ServerProcess server{shell("echo 'READY port=0 pid=1' >&2; exit 1")};
    EXPECT_FALSE(server.wait_ready(Deadline{10s}));
    EXPECT_TRUE(server.stderr_closed());
}

TEST(ReadyLine, ParsesOnlyTheExactForm)
{
    EXPECT_TRUE(parse_ready_line("READY port=1 pid=2"));
    EXPECT_FALSE(parse_ready_line("READY port=65536 pid=2"));
    EXPECT_FALSE(parse_ready_line("READY port=80 pid=x"));
    EXPECT_FALSE(parse_ready_line(" READY port=80 pid=2"));
    EXPECT_FALSE(parse_ready_line("READY port=80"));
}

} // namespace
} // namespace papaya::process
