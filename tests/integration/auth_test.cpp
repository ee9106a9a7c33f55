// Authentication (PROTOCOL.md section 3) and the key file (section 10).
// The original read the key with one read() (a key split across segments
// failed), compared it with strncmp and had no deadline.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <ostream>
#include <vector>

#include "chat_helpers.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

/// --auth-timeout-ms for the tests that measure it.
constexpr int auth_timeout_ms = 400;
/// Slack for the server to notice a failure and close, on a loaded host.
constexpr std::chrono::milliseconds close_margin{2000};

std::vector<std::string> fast_timeout() { return {"--auth-timeout-ms", std::to_string(auth_timeout_ms)}; }

/// The log before and after an action must be equal but for one sync line:
/// checks that nothing reached the log through @p action's connection.
void expect_log_unchanged_by(KeyedServer& s, Client& witness, const std::function<void()>& action)
{
    const std::string before = harness::read_file(s.log);
    action();
    const std::string marker = sync(witness, {&witness});
    EXPECT_EQ(harness::read_file(s.log), before + marker + "\n")
        << "something other than the witness's line was logged";
}

struct Segmentation {
    const char* name;
    std::vector<std::size_t> sizes;
};

// Names the parameter in test names (stable across runs, unlike raw bytes).
void PrintTo(const Segmentation& segmentation, std::ostream* out) { *out << segmentation.name; }

class KeySplitAcrossSegments : public ::testing::TestWithParam<Segmentation> {};

// The key, and the first line after it, however segmented (one byte per
// segment is legal); each segment is read by the server before the next one
// is sent, so a single read() of 128 bytes gets a part of the key.
TEST_P(KeySplitAcrossSegments, StillAuthenticates)
{
    // A generous timeout: this test is about segmentation, and 130 waits for
    // the server to read each byte take long on a loaded machine.
    KeyedServer s{{"--auth-timeout-ms", "60000"}};
    Client client{s.server.port()};
    const std::string line = unique_line("split");
    client.send_segmented(s.key + line + "\n", GetParam().sizes);
    expect_lines(client, {line});
    EXPECT_EQ(log_lines(s.log), std::vector<std::string>{line});
}

INSTANTIATE_TEST_SUITE_P(Auth, KeySplitAcrossSegments,
                         ::testing::Values(Segmentation{"OneByte", {1}}, Segmentation{"SevenBytes", {7}},
                                           Segmentation{"OddSizes", {3, 50, 1, 13, 61, 2}},
                                           Segmentation{"KeyAndLineInOneSegment", {4096}}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Auth, WrongKeyClosesWithoutReplyAndLogsNothing)
{
    KeyedServer s{fast_timeout()};
    Client witness = join(s.server.port(), s.key);
    for (const std::size_t differing : {std::size_t{0}, harness::key_length - 1}) {
        std::string wrong = s.key;
        wrong[differing] = wrong[differing] == 'a' ? 'b' : 'a';
        expect_log_unchanged_by(s, witness, [&] {
            Client intruder{s.server.port()};
            // A line right after the key: it must not reach the log either.
            intruder.try_send(wrong + unique_line("intruder") + "\n");
            intruder.expect_closed_within(std::chrono::milliseconds{auth_timeout_ms} + close_margin);
            expect_server_closed(s.server.port(), intruder.local_port());
        });
    }
    // The attempt is on the service log, without the key or the bytes received.
    EXPECT_TRUE(harness::poll_until([&] { return s.server.stderr_text().find("127.0.0.1") != std::string::npos; },
                                    Deadline{2s}))
        << "no service log line names the peer of the failed attempt:\n"
        << s.server.stderr_text();
    EXPECT_EQ(s.server.stderr_text().find(s.key.substr(0, 16)), std::string::npos) << "the key was logged";
}

TEST(Auth, SilentClientIsClosedAfterTheTimeout)
{
    KeyedServer s{fast_timeout()};
    const auto started = harness::Clock::now();
    Client silent{s.server.port()};
    silent.expect_closed_within(std::chrono::milliseconds{auth_timeout_ms} + close_margin);
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(harness::Clock::now() - started);
    EXPECT_GE(waited.count(), auth_timeout_ms - 10) << "closed before --auth-timeout-ms had passed";
}

TEST(Auth, PartOfTheKeyThenSilenceIsClosedAfterTheTimeout)
{
    KeyedServer s{fast_timeout()};
    Client client{s.server.port()};
    client.send(s.key.substr(0, 100));
    client.expect_closed_within(std::chrono::milliseconds{auth_timeout_ms} + close_margin);
}

TEST(Auth, ShortKeyThenCloseLogsNothing)
{
    KeyedServer s{fast_timeout()};
    Client witness = join(s.server.port(), s.key);
    expect_log_unchanged_by(s, witness, [&] {
        Client client{s.server.port()};
        // Fewer than 128 bytes in all, shaped like a key and a line.
        client.send(s.key.substr(0, 100) + "\n" + unique_line("short").substr(0, 20) + "\n");
        const auto port = client.local_port();
        client.close();
        expect_server_closed(s.server.port(), port);
    });
}

TEST(Auth, NothingIsSentBeforeTheKey)
{
    const std::string history = unique_line("old") + "\n";
    KeyedServer s{{}, history};
    Client client{s.server.port()};
    client.expect_no_data_for(300ms);
    client.send_key(s.key);
    EXPECT_EQ(client.read_exact(history.size(), harness::default_read_timeout, "the history"), history);
}

TEST(KeyFile, OriginalKeyPrefixIsAccepted)
{
    const TempDir dir;
    const std::string key = harness::random_key();
    harness::write_file(dir.file("key"), "KEY " + key + "\n", 0600);
    ServerProcess server{{"--key-file", dir.file("key").string()}};
    Client client = join(server.port(), key);
    expect_delivered(client, {&client});
}

class KeyFileMode : public ::testing::TestWithParam<mode_t> {};

TEST_P(KeyFileMode, IsRefusedWhenGroupOrOthersHaveAccess)
{
    const TempDir dir;
    const auto key_file = harness::write_key_file(dir, harness::random_key(), GetParam());
    harness::LaunchOptions options;
    options.wait_ready = false;
    ServerProcess server{{"--key-file", key_file.string()}, options};
    const auto status = server.expect_exit(Deadline{10s});
    EXPECT_EQ(status.describe(), "exit 1");
    EXPECT_EQ(server.ready_line_count(), 0);
    const std::string message = server.stderr_text();
    EXPECT_NE(message.find(key_file.string()), std::string::npos) << "the message names the file:\n" << message;
    EXPECT_NE(message.find("chmod"), std::string::npos) << "the message says how to fix it:\n" << message;
}

INSTANTIATE_TEST_SUITE_P(KeyFile, KeyFileMode, ::testing::Values(0644, 0640, 0604, 0660, 0602), [](const auto& info) {
    char name[16];
    std::snprintf(name, sizeof name, "Mode%04o", static_cast<unsigned>(info.param));
    return std::string(name);
});

} // namespace
} // namespace papaya::integration
