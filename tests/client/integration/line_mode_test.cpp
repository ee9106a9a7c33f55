// Line mode against the server under test ($PAPAYA_SERVER), the client being
// $PAPAYA_CLIENT run as a child process with pipes: what scripts rely on.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "chat_fixture.hpp"
#include "child_process.hpp"

namespace papaya::client_tests {
namespace {

using namespace std::chrono_literals;
using harness::Deadline;
using harness::printable;
using harness::random_token;

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more)
{
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

bool contains(const std::vector<std::string>& lines, const std::string& line)
{
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::string numbered_log(int count)
{
    std::string text;
    for (int i = 1; i <= count; ++i) text += "old: line " + std::to_string(i) + "\n";
    return text;
}

TEST(LineMode, SendExitsOnceTheLineIsStored)
{
    KeyedServer s;
    harness::Client watcher = s.connect();
    const std::string text = "hello " + random_token();
    const RunResult r = run_client(with(s.client_args("ana"), {"--send", text}), client_environment(s.dir.path()),
                                   Deadline{15s});
    ASSERT_TRUE(r.status.success()) << r.status.describe() << ": " << r.err;
    EXPECT_EQ(r.out, "") << "--send prints nothing";
    // Already in the log when the client exits: that is what the echo proves.
    EXPECT_TRUE(contains(s.log_lines(), "ana: " + text));
    EXPECT_EQ(watcher.read_line(5s, "the sent line"), "ana: " + text);
}

TEST(LineMode, SendDoesNotTakeAHistoryLineForItsEcho)
{
    // A fake server sends the same line as history, then never stores ours.
    FakeServer fake;
    const harness::TempDir home;
    ChildProcess client({client_path(), "--port", std::to_string(fake.port()), "--name", "ana", "--send", "same",
                         "--timeout", "1", "--settle-ms", "200"},
                        client_environment(home.path()));
    client.close_stdin();
    const UniqueFd connection = fake.accept(Deadline{5s});
    const std::string history = "ana: same\n";
    ASSERT_EQ(::write(connection.get(), history.data(), history.size()), static_cast<ssize_t>(history.size()));
    std::string received;
    ASSERT_TRUE(read_until(connection.get(), received, "ana: same\n", Deadline{5s})) << printable(received);
    const ExitStatus status = client.expect_exit(Deadline{10s});
    EXPECT_EQ(status.code, 1) << status.describe();
    EXPECT_NE(client.err().find("did not send the line back within 1 s"), std::string::npos) << client.err();
}

TEST(LineMode, SendCountsTheEchoAfterTheHistory)
{
    FakeServer fake;
    const harness::TempDir home;
    ChildProcess client({client_path(), "--port", std::to_string(fake.port()), "--name", "ana", "--send", "same",
                         "--settle-ms", "200"},
                        client_environment(home.path()));
    client.close_stdin();
    const UniqueFd connection = fake.accept(Deadline{5s});
    const std::string history = "ana: same\n";
    ASSERT_EQ(::write(connection.get(), history.data(), history.size()), static_cast<ssize_t>(history.size()));
    std::string received;
    ASSERT_TRUE(read_until(connection.get(), received, "ana: same\n", Deadline{5s})) << printable(received);
    EXPECT_EQ(received, "ana: same\n") << "no key configured: nothing but the line";
    ASSERT_EQ(::write(connection.get(), history.data(), history.size()), static_cast<ssize_t>(history.size()));
    const ExitStatus status = client.expect_exit(Deadline{10s});
    EXPECT_TRUE(status.success()) << status.describe() << ": " << client.err();
}

TEST(LineMode, StdinIsSentAndEverythingReceivedIsPrinted)
{
    KeyedServer s{{}, "old: before\n"};
    harness::Client other = s.connect();
    ChildProcess client(with({client_path()}, s.client_args("bob")), client_environment(s.dir.path()));
    ASSERT_TRUE(client.wait_stdout("old: before\n", Deadline{10s})) << "history; stderr: " << client.err();

    const std::string mine = "hi there " + random_token();
    client.write_stdin(mine + "\n");
    EXPECT_EQ(other.read_line(5s, "the history"), "old: before");
    EXPECT_EQ(other.read_line(5s, "bob's line"), "bob: " + mine);

    const std::string theirs = "ana: hello bob " + random_token();
    other.send(theirs + "\n");
    EXPECT_TRUE(client.wait_stdout(theirs + "\n", Deadline{5s})) << printable(client.out());
    EXPECT_NE(client.out().find("bob: " + mine + "\n"), std::string::npos) << "own lines come back too";

    client.close_stdin();
    const ExitStatus status = client.expect_exit(Deadline{10s});
    EXPECT_TRUE(status.success()) << status.describe() << ": " << client.err();
}

TEST(LineMode, EndOfStdinWaitsUntilEveryLineIsStored)
{
    KeyedServer s;
    std::vector<std::string> lines;
    std::string input;
    for (int i = 0; i < 50; ++i) {
        lines.push_back("line " + std::to_string(i) + " " + random_token());
        input += lines.back() + (i % 2 == 0 ? "\r\n" : "\n"); // CRLF as well
    }
    input += "\n\nlast without newline";
    lines.push_back("last without newline");
    ChildProcess client(with({client_path()}, s.client_args("ana")), client_environment(s.dir.path()));
    client.write_stdin(input);
    client.close_stdin();
    const ExitStatus status = client.expect_exit(Deadline{20s});
    ASSERT_TRUE(status.success()) << status.describe() << ": " << client.err();
    std::vector<std::string> expected;
    for (const auto& line : lines) expected.push_back("ana: " + line);
    EXPECT_EQ(s.log_lines(), expected);
}

TEST(LineMode, TailPrintsTheEndOfTheHistory)
{
    KeyedServer s{{"--history", "7"}, numbered_log(10)};
    const auto env = client_environment(s.dir.path());
    RunResult r = run_client(with(s.client_args("ana"), {"--tail", "3"}), env, Deadline{15s});
    ASSERT_TRUE(r.status.success()) << r.err;
    EXPECT_EQ(r.out, "old: line 8\nold: line 9\nold: line 10\n");

    r = run_client(with(s.client_args("ana"), {"--tail", "100"}), env, Deadline{15s});
    ASSERT_TRUE(r.status.success()) << r.err;
    EXPECT_EQ(r.out, numbered_log(10).substr(numbered_log(3).size())) << "the server's 7 lines";

    r = run_client(with(s.client_args("ana"), {"--tail", "0"}), env, Deadline{15s});
    ASSERT_TRUE(r.status.success()) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(s.log_lines().size(), 10u) << "--tail sends nothing";
}

TEST(LineMode, WrongKeyIsExplained)
{
    KeyedServer s;
    const harness::TempDir other_dir;
    const auto wrong = harness::write_key_file(other_dir, harness::random_key());
    const RunResult r = run_client({"--port", std::to_string(s.server.port()), "--key-file", wrong.string(), "--name",
                                    "ana", "--send", "let me in"},
                                   client_environment(s.dir.path()), Deadline{15s});
    EXPECT_EQ(r.status.code, 1) << r.status.describe();
    EXPECT_NE(r.err.find("closed the connection during authentication: wrong key, or the server is full"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(s.log_lines().empty());
}

TEST(LineMode, FullServerIsExplained)
{
    KeyedServer s{{"--max-clients", "1"}};
    harness::Client first = s.connect();
    first.send("first: here\n");
    EXPECT_EQ(first.read_line(5s), "first: here"); // authenticated and counted
    const RunResult r = run_client(with(s.client_args("ana"), {"--send", "me too"}), client_environment(s.dir.path()),
                                   Deadline{15s});
    EXPECT_EQ(r.status.code, 1) << r.status.describe();
    EXPECT_NE(r.err.find("wrong key, or the server is full"), std::string::npos) << r.err;
}

TEST(LineMode, KeyFileReadableByOthersIsRefused)
{
    KeyedServer s;
    std::filesystem::permissions(s.key_file, std::filesystem::perms::others_read, std::filesystem::perm_options::add);
    const RunResult r = run_client(with(s.client_args("ana"), {"--send", "x"}), client_environment(s.dir.path()),
                                   Deadline{15s});
    EXPECT_EQ(r.status.code, 1);
    EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
}

TEST(LineMode, RefusedConnectionIsExplained)
{
    const harness::TempDir home;
    const RunResult r = run_client({"--port", std::to_string(closed_port()), "--name", "ana", "--send", "x"},
                                   client_environment(home.path()), Deadline{15s});
    EXPECT_EQ(r.status.code, 1);
    EXPECT_NE(r.err.find("connection refused"), std::string::npos) << r.err;
}

TEST(LineMode, UnknownHostIsExplained)
{
    const harness::TempDir home;
    const RunResult r = run_client({"--host", "no-such-host.invalid", "--name", "ana", "--send", "x"},
                                   client_environment(home.path()), Deadline{30s});
    EXPECT_EQ(r.status.code, 1);
    EXPECT_NE(r.err.find("unknown host no-such-host.invalid"), std::string::npos) << r.err;
}

TEST(LineMode, UsageErrorsExit2)
{
    const harness::TempDir home;
    const RunResult r = run_client({"--port", "none"}, client_environment(home.path()), Deadline{15s});
    EXPECT_EQ(r.status.code, 2);
    EXPECT_NE(r.err.find("--port"), std::string::npos) << r.err;
}

TEST(LineMode, Ipv6)
{
    if (!harness::ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback (::1) on this machine";
    KeyedServer s;
    const std::string text = "over v6 " + random_token();
    const RunResult r = run_client(with(s.client_args("ana"), {"--host", "::1", "--send", text}),
                                   client_environment(s.dir.path()), Deadline{15s});
    ASSERT_TRUE(r.status.success()) << r.err;
    EXPECT_TRUE(contains(s.log_lines(), "ana: " + text));
}

TEST(LineMode, SettingsFromTheConfigFolderAndTheKeyFromTheEnvironment)
{
    KeyedServer s;
    const harness::TempDir xdg;
    std::filesystem::create_directories(xdg.path() / "papaya");
    xdg.write("papaya/config", "# written by the test\nHOST 127.0.0.1\nPORT " + std::to_string(s.server.port()) +
                                   "\nNAME cleo\nKEY_FILE /nonexistent/overridden-by-PAPAYA_KEY\n");
    const std::string text = "configured " + random_token();
    const RunResult r =
        run_client({"--send", text},
                   client_environment(s.dir.path(), {{"XDG_CONFIG_HOME", xdg.path().string()}, {"PAPAYA_KEY", s.key}}),
                   Deadline{15s});
    ASSERT_TRUE(r.status.success()) << r.err;
    EXPECT_TRUE(contains(s.log_lines(), "cleo: " + text));
}

TEST(LineMode, ServerGoingAwayEndsWithStatus1)
{
    auto s = std::make_unique<KeyedServer>();
    ChildProcess client(with({client_path()}, s->client_args("ana")), client_environment(s->dir.path()));
    client.write_stdin("still here\n");
    const auto deadline = Deadline{10s};
    ASSERT_TRUE(harness::poll_until([&] { return contains(s->log_lines(), "ana: still here"); }, deadline));
    s->server.stop();
    const ExitStatus status = client.expect_exit(Deadline{10s});
    EXPECT_EQ(status.code, 1) << status.describe();
    EXPECT_NE(client.err().find("the server closed the connection"), std::string::npos) << client.err();
}

TEST(LineMode, LinesTheServerWouldRejectAreNotSent)
{
    KeyedServer s{{"--max-line", "40"}};
    ChildProcess client(with({client_path()}, with(s.client_args("ana"), {"--max-line", "40"})),
                        client_environment(s.dir.path()));
    client.write_stdin(std::string(60, 'x') + "\nshort one\n");
    client.write_stdin(std::string("with \0 nul\n", 11));
    client.close_stdin();
    const ExitStatus status = client.expect_exit(Deadline{15s});
    EXPECT_EQ(status.code, 1) << "a refused line makes the run fail";
    EXPECT_NE(client.err().find("stdin line 1 is 65 bytes"), std::string::npos) << client.err();
    EXPECT_NE(client.err().find("stdin line 3 holds a NUL byte"), std::string::npos) << client.err();
    // The connection survived: the good line was stored.
    EXPECT_EQ(s.log_lines(), std::vector<std::string>{"ana: short one"});
}

} // namespace
} // namespace papaya::client_tests
