// Lab 7: the process cluster as threads (--stage 7). One process; each
// client has a RECV and a SEND thread, which end when the client leaves; a
// SEND thread waits on a condition variable and must not lose a wakeup; a
// client that does not read blocks only its own SEND thread, and SIGTERM
// ends every thread however it is blocked. The contract itself (delivery,
// history, limits) is the integration suite's and lab 6's.
#include <gtest/gtest.h>

#include <algorithm>

#include "chat_helpers.hpp"
#include "multiplex.hpp"
#include "papaya/grader/grader.hpp"
#include "papaya/grader/stop.hpp"
#include "server_resources.hpp"

namespace papaya::lab7 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using integration::Participant;
using integration::unique_line;

class Lab7 : public grader::StageTest {
protected:
    /// Waits until the server's resources satisfy @p ok; fails, showing the
    /// last look, when they do not within 5 s.
    template <typename Ok>
    integration::ServerResources expect_resources(std::string_view what, Ok ok)
    {
        step("expect " + std::string(what) + " within " + std::to_string(settle(5s).count()) + " ms");
        integration::ServerResources seen;
        const bool reached = harness::poll_until(
            [&] {
                seen = integration::measure_resources(server());
                return ok(seen);
            },
            harness::Deadline{settle(5s)});
        if (!reached) ADD_FAILURE() << "expected " << what << "; the server has " << seen.describe();
        return seen;
    }
};

std::vector<harness::Client*> pointers(std::vector<harness::Client>& clients)
{
    std::vector<harness::Client*> out;
    for (auto& client : clients) out.push_back(&client);
    return out;
}

TEST_F(Lab7, ThreadCountFollowsTheClients)
{
    declare_points(3, "One process: the acceptor starts a RECV thread per client, RECV starts its SEND thread "
                      "after authentication, and both end when the client leaves (RECV raises the session's "
                      "closing flag, shuts the socket down and joins SEND).");
    PAPAYA_REQUIRE_CAPABILITY("engines", "counts the threads of a server whose --stage 7 is two threads per client");
    start_server();
    expect_resources("1 process with 1 thread (the acceptor)",
                     [](const auto& r) { return r.processes == 1 && r.threads == 1; });
    step("connect 10 clients; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 10);
    expect_resources("1 process with 21 threads: the acceptor, and a RECV and a SEND thread per client",
                     [](const auto& r) { return r.processes == 1 && r.threads == 21; });
    step("6 clients close");
    clients.erase(clients.begin() + 4, clients.end());
    expect_resources("1 process with 9 threads", [](const auto& r) { return r.processes == 1 && r.threads == 9; });
    step("the 4 others send a line each and every one of them receives it");
    for (auto& client : clients) integration::expect_delivered(client, pointers(clients));
}

TEST_F(Lab7, NoThreadOrDescriptorLeftAfterChurn)
{
    declare_points(3, "Everything a session holds goes when its client leaves: its threads end and are joined, "
                      "and its socket and its two descriptors of the log are closed.");
    PAPAYA_REQUIRE_CAPABILITY("engines", "counts the threads of a server whose --stage 7 is two threads per client");
    start_server();
    step("a first client joins and leaves: the acceptor is then at its idle state (what it opens at start-up "
         "is open)");
    {
        auto first = integration::join_many(server().port(), 1);
    }
    const auto idle = expect_resources("1 process with 1 thread", [](const auto& r) { return r.threads == 1; });
    step("20 rounds: 10 clients join, one of them sends a line that all 10 receive, and all 10 leave together");
    for (int round = 0; round < 20; ++round) {
        auto clients = integration::join_many(server().port(), 10);
        integration::expect_delivered(clients[static_cast<std::size_t>(round % 10)], pointers(clients));
    }
    expect_resources("the idle server's 1 thread and " + std::to_string(idle.fds) + " open descriptors again",
                     [&](const auto& r) { return r.threads == 1 && r.fds == idle.fds; });
}

TEST_F(Lab7, BackToBackRoundsLoseNoWakeup)
{
    declare_points(3, "A SEND thread that reads the log and then waits on the condition variable without a "
                      "predicate sleeps through an append made in between. Wait with a predicate on the count "
                      "of appends (read under the same mutex), so a wakeup that came early is not lost.");
    constexpr int rounds = 300;
    constexpr std::size_t senders = 8;
    start_server();
    step("connect " + std::to_string(senders) + " clients; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), senders);
    for (auto& client : clients) client.set_nodelay(true);
    const auto prompt = settle(2s);
    step(std::to_string(rounds) +
         " rounds: every client sends one line at the same moment, and each must "
         "receive all " +
         std::to_string(senders) + " within " + std::to_string(prompt.count()) +
         " ms, with nothing sent after them (the later appends of a round come while SEND threads are busy "
         "with the first)");
    for (int round = 0; round < rounds; ++round) {
        std::vector<std::string> sent;
        for (std::size_t c = 0; c < senders; ++c) {
            sent.push_back(unique_line("r" + std::to_string(round) + "c" + std::to_string(c)));
            clients[c].send(sent.back() + "\n");
        }
        std::sort(sent.begin(), sent.end());
        for (std::size_t r = 0; r < senders; ++r) {
            try {
                std::vector<std::string> got;
                for (std::size_t n = 0; n < senders; ++n)
                    got.push_back(clients[r].read_line(prompt, "line " + std::to_string(n + 1) + " of this round"));
                std::sort(got.begin(), got.end());
                if (got != sent)
                    FAIL() << "round " << round + 1 << ", client " << r + 1 << ": received other lines than those sent";
            } catch (const harness::HarnessFailure& failure) {
                FAIL() << "round " << round + 1 << ", client " << r + 1 << ": " << failure.what();
            }
        }
    }
}

TEST_F(Lab7, SigtermEndsThreadsBlockedOnAStoppedReader)
{
    declare_points(3, "A client that does not read blocks only its own SEND thread, in write(2). At SIGTERM, stop() "
                      "must end every session however its threads are blocked: raise each "
                      "closing flag (a SEND thread waiting on the condition variable) and shut each socket down "
                      "(a RECV thread in read(2), a SEND thread in write(2) to a client that does not read), then "
                      "join them all.");
    start_server();
    step("connect clients A and B, and client S, which never reads");
    auto clients = integration::join_many(server().port(), 2);
    auto stopped = connect("client S");
    std::string burst;
    for (int m = 0; m < 20000; ++m) burst += unique_line("burst" + std::to_string(m), 200) + "\n";
    step("client A sends 4 MB of lines and reads them all back within " + std::to_string(settle(30s).count()) +
         " ms while B and S read nothing: their SEND threads are now blocked in write(2)");
    std::vector<Participant> writer;
    writer.emplace_back(std::move(clients[0]));
    writer[0].outgoing = burst;
    integration::pump(writer, {20000}, harness::Deadline{settle(30s)});
    clients[0] = std::move(writer[0].client);
    grader::expect_clean_stop(server(), clients);
}

} // namespace
} // namespace papaya::lab7
