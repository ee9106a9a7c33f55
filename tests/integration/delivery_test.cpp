// Delivery (PROTOCOL.md section 6): exactly once, in log order, byte for byte,
// promptly. The original lost wakeups (pause() loop, coalescing signals, one
// 4 KiB read per wakeup: the second of two back-to-back messages came late),
// replaced the last byte of each push with NUL and shared one log offset
// between processes.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "chat_helpers.hpp"
#include "multiplex.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

/// How long a record may take to arrive before it counts as lost.
constexpr std::chrono::milliseconds prompt{2000};

enum class Pair { one_write, two_writes, two_senders };

/// Sends two fresh lines back to back as @p how says; returns them in send
/// order (for two senders, the log decides their order).
std::vector<std::string> send_pair(Client& a, Client& b, Pair how)
{
    const std::string first = unique_line("first");
    const std::string second = unique_line("second");
    switch (how) {
    case Pair::one_write: a.send(first + "\n" + second + "\n"); break;
    case Pair::two_writes:
        a.send(first + "\n");
        a.send(second + "\n");
        break;
    case Pair::two_senders:
        a.send(first + "\n");
        b.send(second + "\n");
        break;
    }
    return {first, second};
}

TEST(Delivery, TwoMessagesBackToBackBothArrive)
{
    ServerProcess server;
    Client a = join(server.port());
    Client b = join(server.port());
    Client observer = join(server.port());
    sync(a, {&a, &b, &observer});
    a.set_nodelay(true);
    b.set_nodelay(true);
    for (int i = 0; i < 100; ++i) {
        SCOPED_TRACE("iteration " + std::to_string(i));
        const auto how = static_cast<Pair>(i % 3);
        const auto sent = send_pair(a, b, how);
        std::vector<std::string> order;
        for (Client* reader : {&observer, &a, &b}) {
            std::vector<std::string> got;
            for (int n = 0; n < 2; ++n) got.push_back(reader->read_line(prompt, "one of two back-to-back lines"));
            if (order.empty()) order = got;
            ASSERT_EQ(got, order) << "clients saw different orders";
        }
        if (how == Pair::two_senders) std::sort(order.begin(), order.end());
        auto expected = sent;
        if (how == Pair::two_senders) std::sort(expected.begin(), expected.end());
        ASSERT_EQ(order, expected);
    }
}

/// A random line for client @p c's message @p m: printable ASCII, tabs and
/// UTF-8, of varied length, unique and recognisable.
std::string fan_out_line(std::size_t c, std::size_t m, const std::string& run, std::mt19937& rng)
{
    static constexpr std::string_view alphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()[]{}<>/\\|@#$%^&*-_=+~`\t";
    std::uniform_int_distribution<std::size_t> length(0, 300);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size()); // size(): a two-byte "é"
    std::string line = "c" + std::to_string(c) + "-" + run + ": m" + std::to_string(m) + " ";
    for (std::size_t n = length(rng); n > 0; --n) {
        const std::size_t k = pick(rng);
        line += k == alphabet.size() ? std::string{"\xc3\xa9"} : std::string(1, alphabet[k]);
    }
    return line + "|"; // never ends in a stripped '\r' or a blank
}

TEST(Delivery, ManyClientsReceiveEveryRecordOnceInLogOrder)
{
    constexpr std::size_t clients = 32;
    constexpr std::size_t messages = 200;
    ServerProcess server;
    std::vector<Participant> everyone;
    std::vector<std::string> join_lines;
    for (std::size_t c = 0; c < clients; ++c) {
        // Joined one after another: client c's own join line is the last thing
        // it consumed, so it must receive exactly the log after that line.
        everyone.emplace_back(join(server.port(), {}, Family::ipv4, &join_lines.emplace_back()));
    }
    const std::string run = harness::random_token(6);
    std::mt19937 rng{std::random_device{}()};
    std::vector<std::vector<std::string>> sent(clients);
    for (std::size_t c = 0; c < clients; ++c) {
        for (std::size_t m = 0; m < messages; ++m) {
            sent[c].push_back(fan_out_line(c, m, run, rng));
            everyone[c].outgoing += sent[c].back() + "\n";
        }
    }
    // Client c receives the later clients' join lines and every message.
    std::vector<std::size_t> expected_lines(clients);
    for (std::size_t c = 0; c < clients; ++c) expected_lines[c] = clients - 1 - c + clients * messages;
    pump(everyone, expected_lines, Deadline{60s});

    const std::string log = harness::read_file(server.log_path());
    for (std::size_t c = 0; c < clients; ++c) {
        const auto joined = log.find(join_lines[c] + "\n");
        ASSERT_NE(joined, std::string::npos) << "join line of client " << c << " is not in the log";
        const std::string after = log.substr(joined + join_lines[c].size() + 1);
        ASSERT_TRUE(everyone[c].received == after)
            << "client " << c << " did not receive exactly the log after its join line: received "
            << everyone[c].received.size() << " bytes, the log has " << after.size() << " bytes after it; first "
            << "difference at byte "
            << std::distance(after.begin(), std::mismatch(after.begin(), after.end(), everyone[c].received.begin(),
                                                          everyone[c].received.end())
                                                .first);
    }
    // Every message is in the log once, each sender's in the order it sent them.
    std::map<std::string, std::size_t> position;
    const auto records = log_lines(server.log_path());
    for (std::size_t i = 0; i < records.size(); ++i) {
        ASSERT_TRUE(position.emplace(records[i], i).second) << "record twice in the log: " << records[i];
    }
    EXPECT_EQ(records.size(), clients + clients * messages);
    for (std::size_t c = 0; c < clients; ++c) {
        for (std::size_t m = 0; m < messages; ++m) {
            const auto it = position.find(sent[c][m]);
            ASSERT_NE(it, position.end()) << "client " << c << " message " << m << " is not in the log";
            if (m > 0) {
                ASSERT_LT(position[sent[c][m - 1]], it->second) << "client " << c << " messages out of order at " << m;
            }
        }
    }
}

} // namespace
} // namespace papaya::integration
