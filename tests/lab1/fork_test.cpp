// Lab 1: one process per client (PROTOCOL.md sections 1 and 12). The server
// is started with --stage 1: still an echo, now served by a child per client.
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <set>
#include <span>
#include <vector>

#include "papaya/grader/grader.hpp"

namespace papaya::lab1 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;

class Lab1 : public grader::StageTest {};

constexpr std::span<const std::size_t> whole{};  // one send of everything

/// The server's live (not zombie) child processes.
std::vector<harness::ProcStat> live_children(harness::ServerProcess& server)
{
    std::vector<harness::ProcStat> out;
    for (const auto& child : server.children()) out.push_back(child.process);
    return out;
}

std::set<pid_t> pids_of(const std::vector<harness::ProcStat>& processes)
{
    std::set<pid_t> out;
    for (const auto& p : processes) out.insert(p.pid);
    return out;
}

TEST_F(Lab1, FiftyClientsAtOnce)
{
    declare_points(3, "Fork a child for each accepted connection and let the child serve it, while the parent goes "
                      "straight back to accept(2): a client that sends nothing must not hold up anyone else.");
    start_server();
    auto silent = connect("client 1, which stays silent");
    step("connect clients 2..50");
    std::vector<harness::Client> clients;
    for (int i = 2; i <= 50; ++i) clients.emplace_back(server().port(), harness::Family::ipv4, settle(5s));
    for (std::size_t i = 0; i < clients.size(); ++i) {
        const std::string line = "client " + std::to_string(i + 2) + " says hello\n";
        if (!grader::expect_echo(clients[i], line, whole, "one line from client " + std::to_string(i + 2))) return;
    }
    grader::expect_echo(silent, "client 1 speaks at last\n", whole, "one line from client 1");
}

TEST_F(Lab1, NoZombiesAfter200Connections)
{
    declare_points(3, "A child that exits stays a zombie until its parent waits for it: on SIGCHLD (or whenever "
                      "accept is interrupted) call waitpid(-1, &status, WNOHANG) in a loop until it returns 0.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "a goroutine server has no child processes to reap");
    start_server();
    const auto baseline = pids_of(server().processes());
    step("note the server's processes while idle: " + std::to_string(baseline.size()));
    step("200 times: connect, echo one line every other time, close");
    for (int i = 0; i < 200; ++i) {
        harness::Client client{server().port(), harness::Family::ipv4, settle(5s)};
        if (i % 2 == 0) {
            const std::string line = "cycle " + std::to_string(i) + "\n";
            client.send(line);
            if (!grader::expect_bytes(line, client.read_exact(line.size(), settle(5s)), "the echo of cycle " + std::to_string(i)))
                return;
        }
    }
    step("wait up to " + std::to_string(settle(10s).count()) + " ms for the server to be back to its idle processes, "
         "no zombie among them");
    std::vector<harness::ProcStat> now;
    const bool back = harness::poll_until(
        [&] {
            now = server().processes();
            for (const auto& p : now)
                if (p.state == 'Z') return false;
            return pids_of(now) == baseline;
        },
        harness::Deadline{settle(10s)});
    std::size_t zombies = 0;
    for (const auto& p : now) zombies += p.state == 'Z';
    if (!back)
        ADD_FAILURE() << "expected the " << baseline.size() << " idle process(es) of before; found " << now.size()
                      << ", " << zombies << " of them zombies (state Z), e.g.:\n"
                      << harness::describe(std::vector<harness::ProcStat>(now.begin(), now.begin() + std::min<long>(5, static_cast<long>(now.size()))));
}

TEST_F(Lab1, CrashingChildDoesNotStopTheAcceptor)
{
    declare_points(2, "A child that crashes ends only its own client's connection: the acceptor must keep accepting "
                      "(and reap the dead child), whatever signal killed it.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "kills the process that serves one client");
    start_server();
    for (const int signo : {SIGSEGV, SIGKILL}) {
        const auto before = pids_of(live_children(server()));
        auto victim = connect("a client");
        grader::expect_echo(victim, "about to crash\n", whole, "one line");
        pid_t child = 0;
        const bool found = harness::poll_until(
            [&] {
                for (const auto& p : live_children(server()))
                    if (before.count(p.pid) == 0) child = p.pid;
                return child != 0;
            },
            harness::Deadline{settle(5s)});
        if (!found) FAIL() << "no new child process of the server (pid " << server().pid() << ") serves the client";
        step(std::string("kill -") + (signo == SIGSEGV ? "SEGV " : "KILL ") + std::to_string(child) +
             " (the server's child that serves it)");
        if (::kill(child, signo) != 0) FAIL() << "kill " << child << ": " << std::strerror(errno);
        step("expect that client's connection to be closed");
        if (!victim.read_until_closed(harness::Deadline{settle(5s)}))
            ADD_FAILURE() << "the connection stayed open after its process died";
        auto next = connect("the next client");
        if (!grader::expect_echo(next, "are you still accepting?\n", whole, "one line")) return;
    }
}

TEST_F(Lab1, OneProcessPerConnectedClient)
{
    declare_points(2, "Stage 1 forks one child per client; the child serves its client and exits when the client "
                      "leaves, the parent only accepts.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "counts the server's child processes");
    start_server();
    std::vector<harness::Client> clients;
    std::size_t count = 0;
    auto expect_children = [&](std::size_t expected) {
        step("expect " + std::to_string(expected) + " live child process(es) of the server (pid " +
             std::to_string(server().pid()) + ")");
        const bool ok = harness::poll_until([&] { return (count = live_children(server()).size()) == expected; },
                                            harness::Deadline{settle(5s)});
        if (!ok)
            ADD_FAILURE() << "expected " << expected << " child process(es) of the server, one per connected client; found "
                        << count << ":\n" << harness::describe(server().processes());
        return ok;
    };
    if (!expect_children(0)) return;
    for (std::size_t n = 1; n <= 3; ++n) {
        clients.push_back(connect("client " + std::to_string(n)));
        if (!grader::expect_echo(clients.back(), "hello\n", whole, "one line")) return;
        if (!expect_children(n)) return;
    }
    step("client 3 closes");
    clients.pop_back();
    expect_children(2);
}

} // namespace
} // namespace papaya::lab1
