#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <chrono>

#include "papaya/process/child.hpp"
#include "papaya/process/proc.hpp"

namespace papaya::process {
namespace {

TEST(ProcStat, ParsesANameWithSpacesAndParentheses)
{
    const auto stat = parse_proc_stat("1234 (pa) pa (x) S 77 1200 1100 0 -1");
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->pid, 1234);
    EXPECT_EQ(stat->name, "pa) pa (x");
    EXPECT_EQ(stat->state, 'S');
    EXPECT_EQ(stat->ppid, 77);
    EXPECT_EQ(stat->pgid, 1200);
    EXPECT_EQ(stat->sid, 1100);
    EXPECT_FALSE(parse_proc_stat("garbage"));
    EXPECT_FALSE(parse_proc_stat("5 (goref) R"));
}

TEST(ProcStat, ReadsThisProcess)
{
    const auto stat = read_proc_stat(::getpid());
    ASSERT_TRUE(stat);
    EXPECT_EQ(stat->ppid, ::getppid());
}

TEST(Schedstat, ParsesRunWaitAndSlices)
{
    const auto s = parse_schedstat("2063541 1025677 42\n");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->run_ns, 2063541U);
    EXPECT_EQ(s->wait_ns, 1025677U);
    EXPECT_EQ(s->slices, 42U);
    EXPECT_FALSE(parse_schedstat("12 34"));
}

TEST(CpuTime, SumsEveryThreadOfATree)
{
    // A child that burns CPU in a loop until killed; its time counts in the sum with ours.
    const Child spinner{SpawnOptions{.argv = {"/bin/sh", "-c", "while :; do :; done"}}};
    ASSERT_TRUE(poll_until([&] { return cpu_time_ns(spinner.pid()) > 20'000'000; },
                           Deadline{std::chrono::seconds{20}}));
    const std::uint64_t alone = cpu_time_ns(spinner.pid());
    EXPECT_GE(cpu_time_ns(std::vector<pid_t>{spinner.pid(), ::getpid()}), alone);
    EXPECT_EQ(cpu_time_ns(std::vector<pid_t>{}), 0U);
}

TEST(Descendants, FindsChildrenOfChildren)
{
    const Child parent{SpawnOptions{.argv = {"/bin/sh", "-c", "sleep 30 & wait"}}};
    std::vector<ProcStat> below;
    ASSERT_TRUE(poll_until([&] { return !(below = descendants_of(parent.pid(), list_processes())).empty(); },
                           Deadline{std::chrono::seconds{10}}));
    EXPECT_TRUE(std::any_of(below.begin(), below.end(), [&](const ProcStat& p) { return p.ppid == parent.pid(); }));
    ::kill(below.front().pid, SIGKILL);
}

} // namespace
} // namespace papaya::process
