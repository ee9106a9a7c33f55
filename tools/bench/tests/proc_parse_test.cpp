#include <gtest/gtest.h>

#include "proc_parse.hpp"

using namespace bench;

TEST(ProcParse, CgroupV2CpuStat)
{
    const char* text = "usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\nnr_periods 0\n";
    EXPECT_EQ(parse_cpu_stat_usage_ns(text), 123456000u);
    EXPECT_FALSE(parse_cpu_stat_usage_ns("user_usec 5\n"));
}

TEST(ProcParse, SingleNumber)
{
    EXPECT_EQ(parse_single_u64("987654321\n"), 987654321u);
    EXPECT_FALSE(parse_single_u64("max\n"));
}

TEST(ProcParse, SmapsRollupPss)
{
    const char* text = "55d0c0000000-7ffd00000000 ---p 00000000 00:00 0                          [rollup]\n"
                       "Rss:                1880 kB\n"
                       "Pss:                 412 kB\n"
                       "Pss_Anon:            148 kB\n"
                       "Pss_File:            264 kB\n";
    EXPECT_EQ(parse_smaps_rollup_pss(text), 412u * 1024);
    EXPECT_FALSE(parse_smaps_rollup_pss("Rss: 10 kB\nPss_Anon: 3 kB\n")) << "Pss_Anon is not Pss";
}

TEST(ProcParse, Status)
{
    const char* text = "Name:\tpapayad\nThreads:\t3\nvoluntary_ctxt_switches:\t150\nnonvoluntary_ctxt_switches:\t7\n";
    const auto f = parse_status(text);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->threads, 3u);
    EXPECT_EQ(f->voluntary_ctxt, 150u);
    EXPECT_EQ(f->nonvoluntary_ctxt, 7u);
    EXPECT_FALSE(parse_status("Name:\tx\n"));
}

TEST(ProcParse, ProcSelfCgroup)
{
    const char* text = "4:memory:/process_api/abc\n2:cpuacct,cpu:/jobs\n1:name=systemd:/\n0::/user.slice/x\n";
    EXPECT_EQ(parse_proc_cgroup(text, ""), "/user.slice/x");
    EXPECT_EQ(parse_proc_cgroup(text, "cpuacct"), "/jobs");
    EXPECT_EQ(parse_proc_cgroup(text, "memory"), "/process_api/abc");
    EXPECT_FALSE(parse_proc_cgroup(text, "pids"));
    EXPECT_FALSE(parse_proc_cgroup("1:cpu:/\n", ""));
}

TEST(ProcParse, Mounts)
{
    const char* text = "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
                       "cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0\n"
                       "cgroup /sys/fs/cgroup/cpu,cpuacct2 cgroup rw,cpu 0 0\n"
                       "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n";
    EXPECT_EQ(parse_cgroup_mount(text, ""), "/sys/fs/cgroup/unified");
    EXPECT_EQ(parse_cgroup_mount(text, "cpuacct"), "/sys/fs/cgroup/cpuacct");
    EXPECT_FALSE(parse_cgroup_mount(text, "memory"));
}

TEST(ProcParse, ProcStatBusy)
{
    // user nice system idle iowait irq softirq steal guest guest_nice
    EXPECT_EQ(parse_proc_stat_busy_ticks("cpu  100 5 50 1000 20 3 2 1 0 0\ncpu0 1 2 3 4\n"), 156u);
    EXPECT_EQ(parse_proc_stat_busy_ticks("cpu  100 5 50 1000 20\n"), 155u);
    EXPECT_FALSE(parse_proc_stat_busy_ticks("intr 5\n"));
}
