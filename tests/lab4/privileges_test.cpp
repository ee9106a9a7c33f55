// Lab 4: privileges (PROTOCOL.md section 9). Started as root with --user, the
// server opens the log and the key file and binds first, then drops
// supplementary groups, gid and uid, so every process of the service runs as
// that user. The key file (section 10) is given code: tests/unit/key_file_test.cpp.
#include <gtest/gtest.h>

#include <pwd.h>

#include "chat_helpers.hpp"
#include "keyed_stage_test.hpp"

namespace papaya::lab4 {
namespace {

using grader::declare_points;
using grader::step;

TEST_F(Lab4, EveryProcessRunsAsTheUserWithoutSupplementaryGroups)
{
    declare_points(3, "As root, open the log and the key file and bind first, then call setgroups(0, NULL), setgid "
                      "and setuid, in that order, before forking any client process (auth_privileges.cpp: "
                      "drop_privileges).");
    if (!harness::running_as_root())
        GTEST_SKIP() << "not applicable: needs root (the server must start as root to drop to --user)";
    PAPAYA_REQUIRE_CAPABILITY("setuid", "starts the server as root and checks that it drops to --user");
    const passwd* nobody = ::getpwnam("nobody");
    ASSERT_NE(nobody, nullptr) << "no user nobody on this system";
    const uid_t uid = nobody->pw_uid;
    const gid_t gid = nobody->pw_gid;

    const auto key_file = write_key();
    step("write a random 128-character key to " + key_file.string() + " (mode 0600)");
    harness::LaunchOptions options;
    options.supplementary_groups = {4242, 4343};
    step("as root with supplementary groups 4242 and 4343:");
    auto& s = launch({"--key-file", key_file.string(), "--log", log.string(), "--user", "nobody"}, options);
    step("connect clients A and B; each sends the key and a line and reads until it comes back");
    auto clients = integration::join_many(s.port(), 2, key);

    step("expect every process of the server (/proc/<pid>/status) to have uid " + std::to_string(uid) + " and gid " +
         std::to_string(gid) + " (real, effective, saved, filesystem) and no supplementary groups");
    const auto processes = integration::live_processes(s);
    if (processes.empty()) FAIL() << "no process of the server was found";
    std::string wrong;
    for (const auto& p : processes) {
        const auto status = harness::read_proc_status(p.pid);
        if (!status) continue; // gone meanwhile: nothing to check
        bool ok = status->groups.empty();
        for (const uid_t id : status->uid) ok = ok && id == uid;
        for (const gid_t id : status->gid) ok = ok && id == gid;
        if (ok) continue;
        wrong += "  pid " + std::to_string(p.pid) + " (" + p.name + "): Uid";
        for (const uid_t id : status->uid) wrong += " " + std::to_string(id);
        wrong += ", Gid";
        for (const gid_t id : status->gid) wrong += " " + std::to_string(id);
        wrong += ", Groups";
        for (const gid_t id : status->groups) wrong += " " + std::to_string(id);
        wrong += "\n";
    }
    if (!wrong.empty())
        FAIL() << "these processes do not run as nobody alone:\n"
               << wrong << "every process:\n"
               << harness::describe(processes);
}

} // namespace
} // namespace papaya::lab4
