// Lab 4: authentication (PROTOCOL.md section 3). The server is started with
// --stage 4 and a key file: a client's first bytes are exactly 128 bytes of
// key, however TCP segments them, read within --auth-timeout-ms in total.
// A wrong key, a malformed one or silence closes the connection with no reply
// and nothing reaches the chat log. The original read the key with a single
// read(2), so a key split across segments failed.
#include <gtest/gtest.h>

#include <poll.h>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "chat_helpers.hpp"
#include "keyed_stage_test.hpp"

namespace papaya::lab4 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using harness::printable;
using integration::unique_line;

/// How long a refused client may wait for the close: the timeout plus slack for a loaded host.
std::chrono::milliseconds close_within() { return settle(std::chrono::milliseconds{auth_timeout_ms} + 2s); }

std::vector<std::string> fast_timeout() { return {"--auth-timeout-ms", std::to_string(auth_timeout_ms)}; }

/// Sends the key and one line in segments of @p sizes (each read by the
/// server before the next is sent) and expects the line back and in the log.
void expect_login_in_segments(std::uint16_t port, const std::string& key, const std::filesystem::path& log,
                              std::span<const std::size_t> sizes, const std::string& how)
{
    step("connect a client to 127.0.0.1:" + std::to_string(port));
    harness::Client client{port, harness::Family::ipv4, settle(5s)};
    const std::string line = unique_line("split");
    step("send the 128-byte key, then the line " + printable(line, 60) + " and \\n, " + how +
         " (the server reads each segment before the next is sent)");
    client.send_segmented(key + line + "\n", sizes);
    step("expect the line back within " + std::to_string(settle(5s).count()) + " ms, and as the log's only record");
    integration::expect_lines(client, {line}, settle(5s));
    grader::expect_bytes(line + "\n", harness::read_file(log), "the chat log");
}

/// The server's --auth-timeout-ms for the segmentation tests: generous, as
/// waiting for the server to read each of 130 one-byte segments takes long on a loaded host.
std::vector<std::string> slow_timeout() { return {"--auth-timeout-ms", std::to_string(settle(60s).count())}; }

constexpr const char* segmentation_hint =
    "TCP may deliver the key in pieces: loop on read(2) until you have all 128 bytes or the deadline has passed; "
    "one read(2) may return a single byte (auth_privileges.cpp: authenticate_client).";

TEST_F(Lab4, KeyInOneByteSegmentsAuthenticates)
{
    declare_points(3, segmentation_hint);
    start_keyed_server(slow_timeout());
    const std::array<std::size_t, 1> sizes{1};
    expect_login_in_segments(server().port(), key, log, sizes, "one byte per segment");
}

TEST_F(Lab4, KeyInSevenByteSegmentsAuthenticates)
{
    declare_points(1, segmentation_hint);
    start_keyed_server(slow_timeout());
    const std::array<std::size_t, 1> sizes{7};
    expect_login_in_segments(server().port(), key, log, sizes, "in segments of 7 bytes");
}

TEST_F(Lab4, KeyInOddSizedSegmentsAuthenticates)
{
    declare_points(1, segmentation_hint);
    start_keyed_server(slow_timeout());
    const std::array<std::size_t, 6> sizes{3, 50, 1, 13, 61, 2};
    expect_login_in_segments(server().port(), key, log, sizes, "in segments of 3, 50, 1, 13, 61 and 2 bytes (cycled)");
}

TEST_F(Lab4, KeyAndFirstLineInOneSegmentAuthenticates)
{
    declare_points(1, "Read no byte past the 128th of the key, or hand what you read past it to the line reader: "
                      "the first line may arrive in the same segment as the key.");
    start_keyed_server(slow_timeout());
    const std::array<std::size_t, 1> sizes{4096};
    expect_login_in_segments(server().port(), key, log, sizes, "all in one segment");
}

/// Connects, sends @p bytes and expects the server to close within
/// close_within() without sending anything; then checks, through a sync line
/// of @p witness, that only that line was added to the log meanwhile.
void expect_refused(std::uint16_t port, const std::filesystem::path& log, harness::Client& witness,
                    const std::string& bytes, const std::string& what)
{
    const std::string before = harness::read_file(log);
    step("connect a client and send " + what + ": " + printable(bytes, 80) +
         "; expect the server to close the "
         "connection within " +
         std::to_string(close_within().count()) + " ms without sending a byte");
    harness::Client intruder{port, harness::Family::ipv4, settle(5s)};
    intruder.try_send(bytes); // the server may close before it has taken them all
    intruder.expect_closed_within(close_within());
    integration::expect_server_closed(port, intruder.local_port(), settle(5s));
    step("the authenticated client sends a line and reads it back; expect the log to have grown by that line only");
    const std::string marker = integration::sync(witness, {&witness});
    grader::expect_bytes(before + marker + "\n", harness::read_file(log), "the chat log after " + what);
}

TEST_F(Lab4, WrongKeyIsClosedWithoutReplyAndLogsNothing)
{
    declare_points(2, "Compare all 128 bytes with the key (in constant time, not with strncmp) and on a mismatch close "
                      "the connection at once, with no reply and before reading any line; report the attempt on "
                      "stderr or syslog, never in the chat log.");
    start_keyed_server(fast_timeout());
    step("connect an authenticated client (the key, a line, read back)");
    auto witness = integration::join(server().port(), key);
    for (const std::size_t differing : {std::size_t{0}, harness::key_length - 1}) {
        std::string wrong = key;
        wrong[differing] = wrong[differing] == 'a' ? 'b' : 'a';
        expect_refused(server().port(), log, witness, wrong + unique_line("intruder") + "\n",
                       "the key with byte " + std::to_string(differing + 1) + " changed, then a line");
        if (HasFailure()) return;
    }
}

TEST_F(Lab4, SilentClientIsClosedAfterTheTimeout)
{
    declare_points(2, "Put one deadline on the whole key from --auth-timeout-ms (poll(2) with the time left before "
                      "each read) and close the connection when it passes: a silent client must not hold a process.");
    start_keyed_server(fast_timeout());
    const auto started = harness::Clock::now();
    auto silent = connect("a client that sends nothing");
    step("expect the server to close the connection within " + std::to_string(close_within().count()) +
         " ms, not before --auth-timeout-ms (" + std::to_string(auth_timeout_ms) + " ms), without sending a byte");
    silent.expect_closed_within(close_within());
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(harness::Clock::now() - started);
    EXPECT_GE(waited.count(), auth_timeout_ms - 10) << "the connection was closed before --auth-timeout-ms had passed";
    step("expect the chat log to be empty");
    grader::expect_bytes("", harness::read_file(log), "the chat log");
}

TEST_F(Lab4, SlowLorisKeysAreCutOffAtTheTotalTimeout)
{
    declare_points(3, "--auth-timeout-ms is for the whole key, however it trickles in: compute one deadline when the "
                      "connection arrives and give each read only the time left (read_some_until with that "
                      "deadline), never a fresh timeout per read, or a client sending a byte every 100 ms holds "
                      "its process for 12.8 s (auth_privileges.cpp: authenticate_client).");
    constexpr int timeout_ms = 1000;
    constexpr std::size_t attackers = 4;
    constexpr auto pace = 100ms;
    const auto bound = settle(std::chrono::milliseconds{timeout_ms} + 1500ms);
    start_keyed_server({"--auth-timeout-ms", std::to_string(timeout_ms)});
    step("connect " + std::to_string(attackers) + " clients that each send the key one byte every " +
         std::to_string(pace.count()) + " ms (12.8 s for all of it); expect the server to close every one " +
         std::to_string(timeout_ms) + " ms after it connected, at most " + std::to_string(bound.count()) +
         " ms, without sending a byte");
    struct Attacker {
        harness::Client client;
        harness::Clock::time_point connected;
        std::optional<std::chrono::milliseconds> closed_after; // since connected
    };
    std::vector<Attacker> slow;
    for (std::size_t i = 0; i < attackers; ++i) {
        const auto connected = harness::Clock::now();
        slow.push_back({harness::Client{server().port(), harness::Family::ipv4, settle(5s)}, connected, {}});
        slow.back().client.set_nodelay(true);
    }
    const auto started = harness::Clock::now();
    const auto note_closed = [](Attacker& a) {
        a.closed_after = std::chrono::duration_cast<std::chrono::milliseconds>(harness::Clock::now() - a.connected);
    };
    const auto open_count = [&] {
        return std::count_if(slow.begin(), slow.end(), [](const Attacker& a) { return !a.closed_after; });
    };
    for (std::size_t sent = 0; sent < key.size() && open_count() > 0; ++sent) {
        if (harness::Clock::now() - started > bound) break;
        for (auto& a : slow) {
            if (!a.closed_after && !a.client.try_send(key.substr(sent, 1))) note_closed(a); // reset: closed
        }
        // Until the next byte is due, watch every open connection for its close.
        const harness::Deadline next{pace};
        while (!next.expired() && open_count() > 0) {
            std::vector<pollfd> watched;
            std::vector<Attacker*> owners;
            for (auto& a : slow) {
                if (a.closed_after) continue;
                watched.push_back({.fd = a.client.fd(), .events = POLLIN, .revents = 0});
                owners.push_back(&a);
            }
            if (::poll(watched.data(), watched.size(), next.poll_timeout_ms()) <= 0) continue;
            for (std::size_t i = 0; i < watched.size(); ++i) {
                if (watched[i].revents != 0 && !owners[i]->client.receive_available()) note_closed(*owners[i]);
            }
        }
    }
    for (std::size_t i = 0; i < slow.size(); ++i) {
        auto& a = slow[i];
        const std::string who = "slow client " + std::to_string(i + 1);
        if (!a.closed_after && a.client.read_until_closed(harness::Deadline{settle(100ms)})) note_closed(a);
        if (!a.closed_after || *a.closed_after > bound) {
            ADD_FAILURE() << who << " was still connected " << bound.count() << " ms after it connected, sending a "
                          << "byte of the key every " << pace.count() << " ms: the deadline must be for the whole key";
        } else {
            EXPECT_GE(a.closed_after->count(), timeout_ms - 100)
                << who << " was closed before --auth-timeout-ms " << timeout_ms << " had passed";
        }
        grader::expect_bytes("", a.client.buffered(), "what the server sent " + who + " before authentication");
    }
    if (HasFailure()) return;
    step("connect a client that sends the key and a line and reads it back; expect that line to be the log's only "
         "record");
    std::string hello;
    auto user = integration::join(server().port(), key, harness::Family::ipv4, &hello);
    grader::expect_bytes(hello + "\n", harness::read_file(log), "the chat log");
}

TEST_F(Lab4, MalformedKeysAreRefusedAlike)
{
    declare_points(3, "Whatever arrives, read exactly 128 bytes within the deadline, compare them all and close "
                      "without a reply when they are not the key: never stop at a newline, and never take the "
                      "bytes after the 128th of a refused client as a line.");
    start_keyed_server(fast_timeout());
    step("connect an authenticated client (the key, a line, read back)");
    auto witness = integration::join(server().port(), key);
    auto rng = grader::test_rng();
    struct Attempt {
        std::string what;
        std::string bytes;
    };
    const std::vector<Attempt> attempts{
        {"a short key (100 bytes of the key, \\n, a line: 122 bytes in all)",
         key.substr(0, 100) + "\n" + unique_line("short").substr(0, 20) + "\n"},
        {"the key without its last byte, then \\n and a line",
         key.substr(0, harness::key_length - 1) + "\n" + unique_line("newline") + "\n"},
        {"a long key (\"KEY \" and the key: 132 bytes), then \\n and a line",
         "KEY " + key + "\n" + unique_line("long") + "\n"},
        {"128 random bytes, then a line",
         grader::random_bytes(rng, harness::key_length) + unique_line("garbage") + "\n"},
    };
    for (const auto& attempt : attempts) {
        expect_refused(server().port(), log, witness, attempt.bytes, attempt.what);
        if (HasFailure()) return;
    }
}

} // namespace
} // namespace papaya::lab4
