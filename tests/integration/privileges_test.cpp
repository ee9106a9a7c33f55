// Privileges (PROTOCOL.md section 9). The original had no privilege dropping
// in its code (the installer ran it with sudo -u).
#include <gtest/gtest.h>

#include <pwd.h>
#include <sys/stat.h>

#include "chat_helpers.hpp"
#include "papaya/harness/skip.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

TEST(Privileges, EveryProcessRunsAsTheUserWithoutSupplementaryGroups)
{
    PAPAYA_REQUIRE_ROOT("drops privileges to nobody");
    PAPAYA_REQUIRE_PROCESS_SERVER("checks the credentials of every process");
    const passwd* nobody = ::getpwnam("nobody");
    ASSERT_NE(nobody, nullptr) << "no user nobody on this system";
    const uid_t uid = nobody->pw_uid;
    const gid_t gid = nobody->pw_gid;

    // Started with supplementary groups, which it must drop.
    harness::LaunchOptions options;
    options.supplementary_groups = {4242, 4343};
    KeyedServer s{{"--user", "nobody"}, {}, options};
    auto clients = join_many(s.server.port(), 2, s.key);
    Client& a = clients[0];
    Client& b = clients[1];
    expect_delivered(a, {&a, &b});

    const auto processes = live_processes(s.server);
    EXPECT_EQ(processes.size(), 6u) << harness::describe(processes);
    for (const auto& p : processes) {
        const auto status = harness::read_proc_status(p.pid);
        ASSERT_TRUE(status.has_value()) << "process " << p.pid << " vanished";
        for (const uid_t id : status->uid) EXPECT_EQ(id, uid) << "Uid of " << p.pid << " (" << p.name << ")";
        for (const gid_t id : status->gid) EXPECT_EQ(id, gid) << "Gid of " << p.pid << " (" << p.name << ")";
        EXPECT_TRUE(status->groups.empty()) << "process " << p.pid << " kept supplementary groups";
    }
    struct stat log {};
    ASSERT_EQ(::stat(s.log.c_str(), &log), 0);
    EXPECT_EQ(log.st_uid, uid) << "the log the server created belongs to the service user";
    EXPECT_EQ(log.st_gid, gid);
}

TEST(Privileges, RootWithoutUserIsRefused)
{
    PAPAYA_REQUIRE_ROOT("the refusal applies to root only");
    harness::LaunchOptions options;
    options.add_allow_root = false;
    options.wait_ready = false;
    ServerProcess server{{}, options};
    EXPECT_EQ(server.expect_exit(Deadline{10s}).describe(), "exit 1");
    EXPECT_EQ(server.ready_line_count(), 0);
    EXPECT_NE(server.stderr_text().find("--user"), std::string::npos) << "the message says what to do:\n"
                                                                      << server.stderr_text();
}

} // namespace
} // namespace papaya::integration
