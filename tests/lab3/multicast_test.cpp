// Lab 3: multicast with SIGUSR1 (PROTOCOL.md section 6 and 12). The server is
// started with --stage 3: each client has a RECV process (appends its lines)
// and a SEND process (pushes the log to it, woken by SIGUSR1 after appends).
// Signals of one kind do not queue, so a SEND process must send everything up
// to the end of the log after each wakeup, or a message waits for the next one.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "chat_helpers.hpp"
#include "join_burst.hpp"
#include "multiplex.hpp"
#include "papaya/grader/grader.hpp"

namespace papaya::lab3 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using integration::Participant;
using integration::unique_line;

class Lab3 : public grader::StageTest {};

std::vector<harness::Client*> pointers(std::vector<harness::Client>& clients)
{
    std::vector<harness::Client*> out;
    for (auto& client : clients) out.push_back(&client);
    return out;
}

/// A line of printable ASCII and UTF-8 of random length (0..300 bytes of text).
std::string random_line(std::string_view prefix, std::mt19937_64& rng)
{
    std::uniform_int_distribution<int> length(0, 300);
    std::uniform_int_distribution<int> pick(0x20, 0x7f); // 0x7f stands for a two-byte UTF-8 letter
    std::string line(prefix);
    for (int n = length(rng); n > 0; --n) {
        const int c = pick(rng);
        line += c == 0x7f ? std::string{"\xc3\xa9"} : std::string(1, static_cast<char>(c));
    }
    return line + "|"; // never ends in a blank
}

TEST_F(Lab3, EveryClientReceivesEveryRecordOnceInLogOrder)
{
    declare_points(5,
                   "Each SEND process keeps its own offset in the log and, after every wakeup, sends the whole "
                   "lines from there to the end of the log, byte for byte, then advances the offset by what it sent.");
    constexpr std::size_t clients = 32;
    constexpr std::size_t messages = 200;
    start_server();
    step("connect " + std::to_string(clients) + " clients; each sends a line and reads until it comes back");
    auto joined = integration::join_many(server().port(), clients);
    const std::string start = integration::sync(joined.front(), pointers(joined));
    step("client 0 sends the line " + harness::printable(start, 60) + "; every client reads up to it");
    auto rng = grader::test_rng();
    const std::string run = harness::random_token(6);
    std::vector<Participant> everyone;
    for (std::size_t c = 0; c < clients; ++c) {
        everyone.emplace_back(std::move(joined[c]));
        for (std::size_t m = 0; m < messages; ++m)
            everyone.back().outgoing +=
                random_line("c" + std::to_string(c) + "-" + run + ": m" + std::to_string(m) + " ", rng) + "\n";
    }
    step("every client sends " + std::to_string(messages) +
         " random lines while reading (poll), until each has "
         "received " +
         std::to_string(clients * messages) + " lines or " + std::to_string(settle(60s).count()) + " ms passed");
    integration::pump(everyone, std::vector<std::size_t>(clients, clients * messages), harness::Deadline{settle(60s)});

    step("expect every client to have received exactly the log after the line of step 3");
    const std::string log = harness::read_file(server().log_path());
    const auto at = log.find(start + "\n");
    if (at == std::string::npos) FAIL() << "the line " << harness::printable(start, 60) << " is not in the log";
    const std::string after = log.substr(at + start.size() + 1);
    EXPECT_EQ(static_cast<std::size_t>(std::count(after.begin(), after.end(), '\n')), clients * messages)
        << "records in the log after that line";
    for (std::size_t c = 0; c < clients; ++c)
        if (!grader::expect_bytes(after, everyone[c].received, "what client " + std::to_string(c) + " received"))
            return;
}

TEST_F(Lab3, EveryJoinerReceivesItsOwnLineDuringABurst)
{
    declare_points(3, "Pick the history offset in RECV, after the key and before reading the client's first line, "
                      "and give it to the SEND process (PROTOCOL.md section 4). A SEND process that picks it itself "
                      "starts while RECV already appends: when more than --history lines (this client's own and "
                      "other joiners') get in first, the client's own line falls before the offset and never comes "
                      "back to it.");
    // A small history: two lines appended before the offset is picked are
    // enough to push a joiner's own line out of it.
    constexpr std::size_t waves = 10;
    constexpr std::size_t clients = 20;
    start_server({"--history", "1"});
    const auto timeout = settle(5s);
    step(std::to_string(waves) + " waves: " + std::to_string(clients) +
         " clients connect, each sending one line at "
         "once (before the server accepted it); when the log holds them all, client 1 sends a marker line and every "
         "client reads up to it; expect each client to have received its own line, and only the log's last records "
         "before the marker, in order (each wave within " +
         std::to_string(timeout.count()) + " ms)");
    for (std::size_t wave = 1; wave <= waves; ++wave) {
        const auto outcome = integration::join_burst(server().port(), server().log_path(), clients, {}, timeout);
        const auto problems = outcome.problems();
        if (problems.empty()) continue;
        std::string text;
        for (const auto& problem : problems) text += "\n  " + problem;
        FAIL() << "wave " << wave << " of " << waves << ":" << text;
    }
}

enum class Pair { one_send, two_sends, two_senders };

TEST_F(Lab3, BackToBackMessagesBothArrivePromptly)
{
    declare_points(4, "SIGUSR1s do not queue: two appends can make one wakeup. Block SIGUSR1, wait with "
                      "sigwaitinfo(2) (never pause()), and after each wakeup loop reading until the end of the log, "
                      "however many chunks that takes.");
    start_server();
    step("connect clients A, B and an observer; each sends a line and reads until it comes back");
    auto joined = integration::join_many(server().port(), 3);
    auto& a = joined[0];
    auto& b = joined[1];
    a.set_nodelay(true);
    b.set_nodelay(true);
    const auto prompt = settle(2s);
    step("100 times: two lines of 3000 bytes back to back (in one send by A, in two sends by A, or one by A and "
         "one by B); every client must receive both, in the same order, each within " +
         std::to_string(prompt.count()) + " ms");
    for (int i = 0; i < 100; ++i) {
        const auto how = static_cast<Pair>(i % 3);
        const std::string first = unique_line("first", 3000);
        const std::string second = unique_line("second", 3000);
        if (how == Pair::one_send) a.send(first + "\n" + second + "\n");
        if (how != Pair::one_send) a.send(first + "\n");
        if (how == Pair::two_sends) a.send(second + "\n");
        if (how == Pair::two_senders) b.send(second + "\n");
        std::vector<std::string> order;
        for (std::size_t r : {2, 0, 1}) {
            std::vector<std::string> got;
            try {
                for (int n = 0; n < 2; ++n) got.push_back(joined[r].read_line(prompt, "one of two back-to-back lines"));
            } catch (const harness::HarnessFailure& failure) {
                FAIL() << "round " << i + 1 << ", client "
                       << "ABO"[r] << ": " << failure.what();
            }
            if (order.empty()) order = got;
            if (got != order) FAIL() << "round " << i + 1 << ": clients received the two lines in different orders";
        }
        const bool as_sent = order == std::vector<std::string>{first, second};
        const bool swapped = how == Pair::two_senders && order == std::vector<std::string>{second, first};
        if (!as_sent && !swapped)
            FAIL() << "round " << i + 1
                   << ": received lines other than the two sent: " << harness::printable(order[0], 60) << " / "
                   << harness::printable(order[1], 60);
    }
}

TEST_F(Lab3, StoppedReaderDoesNotDelayOthers)
{
    declare_points(3, "A client that does not read blocks only its own SEND process: never write to another "
                      "client's socket from RECV or the acceptor, and never make one client wait for another.");
    constexpr std::size_t lines = 20000;
    start_server();
    step("connect a reader and a writer; each sends a line and reads until it comes back");
    auto joined = integration::join_many(server().port(), 2);
    auto stopped = connect("client S, which will never read");
    const std::string hello = unique_line("stopped-reader-joins");
    step("client S sends one line; the reader and the writer read up to it");
    stopped.send(hello + "\n");
    for (auto& client : joined) integration::read_until_line(client, hello, settle(5s));
    std::vector<Participant> everyone;
    everyone.emplace_back(std::move(joined[0]));
    everyone.emplace_back(std::move(joined[1]));
    for (std::size_t m = 0; m < lines; ++m) everyone[1].outgoing += unique_line("w" + std::to_string(m), 200) + "\n";
    step("the writer sends " + std::to_string(lines) +
         " lines of 200 bytes (4 MB, far more than client S's socket "
         "buffers hold) while both read; expect both to receive them all within " +
         std::to_string(settle(30s).count()) + " ms");
    integration::pump(everyone, {lines, lines}, harness::Deadline{settle(30s)});
    grader::expect_bytes(everyone[1].outgoing, everyone[0].received, "what the reader received");
}

TEST_F(Lab3, RecvAndSendProcessPerClient)
{
    declare_points(2, "After accept the acceptor forks RECV, and RECV forks its SEND process: each connected "
                      "client has one process under the acceptor with exactly one child.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "counts the RECV and SEND processes of each client");
    start_server();
    std::size_t found = 0;
    auto expect_pairs = [&](std::size_t expected) {
        step("expect " + std::to_string(expected) + " child process(es) of the acceptor (pid " +
             std::to_string(server().pid()) + ") with exactly one child each");
        const bool ok = harness::poll_until(
            [&] {
                found = 0;
                for (const auto& recv : server().children()) found += recv.children.size() == 1;
                return found == expected;
            },
            harness::Deadline{settle(5s)});
        if (!ok)
            ADD_FAILURE() << "expected " << expected << " RECV process(es) with one SEND child each; found " << found
                          << ":\n"
                          << harness::describe(server().processes());
        return ok;
    };
    step("connect 3 clients; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 3);
    if (!expect_pairs(3)) return;
    step("client 3 closes");
    clients.pop_back();
    expect_pairs(2);
}

TEST_F(Lab3, PausedReaderGetsAWholeBurstWithoutAnotherMessage)
{
    declare_points(3, "Wakeups do not queue, and while a SEND process is blocked writing to a slow reader, every "
                      "SIGUSR1 of a burst merges into one: after each wakeup send everything up to the end of the "
                      "log, calling read_lines_from as often as it takes (each call returns about 1 MiB at most), "
                      "before you wait again.");
    constexpr std::size_t lines = 60000; // 12 MB: far more than a paused reader's socket buffers hold
    start_server();
    auto paused = connect("client R, which does not read for now");
    auto writer = connect("client W");
    std::string burst;
    std::string last;
    for (std::size_t m = 0; m < lines; ++m) {
        last = unique_line("burst-" + std::to_string(m), 200);
        burst += last + "\n";
    }
    const auto log = server().log_path();
    const auto before = std::filesystem::file_size(log);
    step("client W sends " + std::to_string(lines) + " lines of 200 bytes (12 MB) in one go; wait up to " +
         std::to_string(settle(60s).count()) + " ms until the log holds them all");
    writer.send(burst);
    if (!harness::poll_until([&] { return std::filesystem::file_size(log) >= before + burst.size(); },
                             harness::Deadline{settle(60s)}))
        FAIL() << "the log holds " << std::filesystem::file_size(log) - before << " of the burst's " << burst.size()
               << " bytes";
    step("client R reads at last, while nobody sends anything more: expect every line of the burst, up to W's "
         "last, with at most " +
         std::to_string(settle(5s).count()) + " ms between two lines");
    std::size_t received = 0;
    for (;;) {
        const std::string line = paused.read_line(settle(5s), "line " + std::to_string(received + 1) +
                                                                  " of the burst's " + std::to_string(lines));
        received += line.rfind("burst-", 0) == 0;
        if (line == last) break;
    }
    EXPECT_EQ(received, lines) << "client R received " << received << " of the burst's " << lines << " lines";
}

TEST_F(Lab3, IdleSendProcessWaitsWithoutALostWakeupWindow)
{
    declare_points(2, "A SEND process that checks the log and then calls pause() loses a SIGUSR1 that arrives in "
                      "between: pause() then waits for the next one, and that message waits with it. Keep SIGUSR1 "
                      "blocked and wait with sigwaitinfo(2): a wakeup that comes early stays pending.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "looks at where the SEND process waits");
    start_server();
    step("connect a client; it sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 1);
    pid_t send = 0;
    std::string channel;
    step("find its SEND process (the child of its RECV process) and wait until it sleeps; expect it not to sleep "
         "in pause(2) (seen in /proc/PID/wchan)");
    const bool idle = harness::poll_until(
        [&] {
            for (const auto& recv : server().children())
                for (const auto& child : recv.children) send = child.process.pid;
            const auto stat = harness::read_proc_stat(send);
            channel = send != 0 && stat && stat->state == 'S' ? harness::wait_channel(send) : std::string();
            return !channel.empty();
        },
        harness::Deadline{settle(5s)});
    if (!idle)
        FAIL() << "found no sleeping SEND process (a child of a RECV process):\n"
               << harness::describe(server().processes());
    if (channel.find("pause") != std::string::npos)
        FAIL() << "the SEND process (pid " << send << ") waits in pause(2) (its wchan: " << channel
               << "): a SIGUSR1 that arrives after it read the log and before pause() is lost";
}

} // namespace
} // namespace papaya::lab3
