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
#include "papaya/grader/stop.hpp"

namespace papaya::lab1 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;

class Lab1 : public grader::StageTest {};

constexpr std::span<const std::size_t> whole{}; // one send of everything

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
            if (!grader::expect_bytes(line, client.read_exact(line.size(), settle(5s)),
                                      "the echo of cycle " + std::to_string(i)))
                return;
        }
    }
    step("wait up to " + std::to_string(settle(10s).count()) +
         " ms for the server to be back to its idle processes, "
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
                      << harness::describe(std::vector<harness::ProcStat>(
                             now.begin(), now.begin() + std::min<long>(5, static_cast<long>(now.size()))));
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
            ADD_FAILURE() << "expected " << expected
                          << " child process(es) of the server, one per connected client; found " << count << ":\n"
                          << harness::describe(server().processes());
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

/// The live child of the server that is not in @p before (the process serving the newest client).
pid_t new_child(harness::ServerProcess& server, const std::set<pid_t>& before)
{
    pid_t child = 0;
    harness::poll_until(
        [&] {
            for (const auto& p : live_children(server))
                if (before.count(p.pid) == 0) child = p.pid;
            return child != 0;
        },
        harness::Deadline{settle(5s)});
    return child;
}

TEST_F(Lab1, ClientsThatLeaveTogetherAreAllReaped)
{
    declare_points(3, "Signals do not queue: 30 children that exit while SIGCHLD is pending raise ONE SIGCHLD. "
                      "One waitpid(2) per SIGCHLD reaps one child and leaves the others zombies; reap() must call "
                      "waitpid(-1, &status, WNOHANG) in a loop until it returns 0.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "a goroutine server has no child processes to reap");
    start_server();
    const auto baseline = pids_of(server().processes());
    constexpr int count = 30;
    step("connect " + std::to_string(count) + " clients; each echoes one line (one child each)");
    std::vector<harness::Client> clients;
    for (int i = 0; i < count; ++i) {
        clients.emplace_back(server().port(), harness::Family::ipv4, settle(5s));
        const std::string line = "client " + std::to_string(i) + "\n";
        clients.back().send(line);
        if (!grader::expect_bytes(line, clients.back().read_exact(line.size(), settle(5s)),
                                  "the echo of client " + std::to_string(i)))
            return;
    }
    step("send SIGSTOP to the acceptor (pid " + std::to_string(server().pid()) + "), so that it cannot reap meanwhile");
    server().send_signal(SIGSTOP);
    step("close every client; wait until their " + std::to_string(count) + " children have exited (zombies)");
    clients.clear();
    std::size_t zombies = 0;
    const bool all_exited = harness::poll_until(
        [&] {
            zombies = 0;
            for (const auto& p : server().processes()) zombies += p.state == 'Z' && p.ppid == server().pid();
            return zombies >= static_cast<std::size_t>(count);
        },
        harness::Deadline{settle(10s)});
    step("send SIGCONT: the acceptor gets the " + std::to_string(count) + " exits as one SIGCHLD");
    server().send_signal(SIGCONT);
    if (!all_exited)
        FAIL() << "only " << zombies << " of the " << count << " children exited after their clients closed:\n"
               << harness::describe(server().processes());
    step("expect the server back to its " + std::to_string(baseline.size()) + " idle process(es), no zombie, within " +
         std::to_string(settle(5s).count()) + " ms");
    std::vector<harness::ProcStat> now;
    bool acceptor_alive = true;
    const bool back = harness::poll_until(
        [&] {
            now = server().processes();
            zombies = 0;
            for (const auto& p : now) zombies += p.state == 'Z';
            const auto acceptor = harness::read_proc_stat(server().pid());
            acceptor_alive = acceptor && acceptor->state != 'Z';
            return !acceptor_alive || (zombies == 0 && pids_of(now) == baseline);
        },
        harness::Deadline{settle(5s)});
    if (!acceptor_alive)
        FAIL() << "the acceptor (pid " << server().pid() << ") ended when its children did: its stderr says why";
    if (!back)
        FAIL() << zombies << " of the " << count << " children are still zombies (state Z): the acceptor "
               << "reaped fewer children than exited";
    step("a new client is still served");
    auto next = connect("the next client");
    grader::expect_echo(next, "anyone there?\n", whole, "one line");
}

TEST_F(Lab1, ClientProcessEndsOnSigterm)
{
    declare_points(2, "The child inherits the acceptor's signal handlers and its blocked signal mask: restore SIGTERM, "
                      "SIGINT and SIGCHLD to SIG_DFL and set the mask the acceptor started with before serving the "
                      "client. Otherwise SIGTERM stays blocked (or only sets the acceptor's flag) and stop() can "
                      "only SIGKILL it.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "signals the process that serves one client");
    start_server();
    const auto before = pids_of(live_children(server()));
    auto client = connect("a client");
    grader::expect_echo(client, "hello\n", whole, "one line");
    const pid_t child = new_child(server(), before);
    if (child == 0) FAIL() << "no new child process of the server (pid " << server().pid() << ") serves the client";
    step("kill -TERM " + std::to_string(child) +
         " (the child that serves the client); expect it to end and the "
         "client's connection to close within " +
         std::to_string(settle(2s).count()) + " ms");
    if (::kill(child, SIGTERM) != 0) FAIL() << "kill " << child << ": " << std::strerror(errno);
    if (!client.read_until_closed(harness::Deadline{settle(2s)})) {
        const auto status = harness::read_proc_status(child);
        ADD_FAILURE() << "the child (pid " << child << ") still serves its client after SIGTERM"
                      << (status ? " (its signals, from /proc/" + std::to_string(child) +
                                       "/status: " + harness::describe_signal_sets(*status) + ")"
                                 : std::string());
    }
}

TEST_F(Lab1, SigtermStopsEveryClientProcess)
{
    declare_points(2, "On SIGTERM the acceptor stops accepting, sends SIGTERM to every child, waits for them (and "
                      "SIGKILLs any still alive after a grace period), reaps them all and exits 0, within 2 s.");
    start_server();
    step("connect 4 clients; each echoes one line");
    std::vector<harness::Client> clients;
    for (int i = 0; i < 4; ++i) {
        clients.emplace_back(server().port(), harness::Family::ipv4, settle(5s));
        if (!grader::expect_echo(clients.back(), "line\n", whole, "one line from client " + std::to_string(i + 1)))
            return;
    }
    grader::expect_clean_stop(server(), clients);
}

TEST_F(Lab1, KilledAcceptorClosesTheDoor)
{
    declare_points(1, "A child inherits every descriptor of the acceptor, the listening socket too: close it in the "
                      "child right after fork(). A child that keeps it keeps the door open when the acceptor is "
                      "gone: new clients connect, and nobody will ever accept them.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "kills the acceptor process");
    start_server();
    auto client = connect("a client, which stays connected");
    grader::expect_echo(client, "hello\n", whole, "one line");
    step("kill -KILL the acceptor (pid " + std::to_string(server().pid()) +
         "); expect a new connection to be "
         "refused: nobody listens any more");
    server().send_signal(SIGKILL);
    if (!server().wait_exit(harness::Deadline{settle(5s)})) FAIL() << "the acceptor did not die";
    try {
        harness::Client late{server().port(), harness::Family::ipv4, settle(5s)};
        FAIL() << "a new client could connect to port " << server().port() << " after the acceptor died: a client "
               << "process still holds the listening socket";
    } catch (const harness::HarnessFailure&) {
        // refused: the door closed with the acceptor
    }
    step("the connected client is still served");
    grader::expect_echo(client, "still here\n", whole, "one line");
}

} // namespace
} // namespace papaya::lab1
