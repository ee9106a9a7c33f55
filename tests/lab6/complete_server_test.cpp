// Lab 6: the complete server (PROTOCOL.md: command line, config file, daemon,
// shutdown, limits, line rules, authentication). The server is started with
// --stage 6. Several behaviours are those the integration tests check; this
// suite grades them with points and hints, using the same chat helpers.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <csignal>
#include <memory>

#include "chat_helpers.hpp"
#include "papaya/grader/grader.hpp"
#include "papaya/grader/stop.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::lab6 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using harness::Client;
using harness::Deadline;
using integration::expect_delivered;
using integration::expect_lines;
using integration::unique_line;

class Lab6 : public grader::StageTest {
protected:
    /// Files the server reads (key, config, chat log): a member, so it
    /// outlives the server, which TearDown() stops.
    harness::TempDir files{"papaya-lab6"};
};

/// A TCP port that is free now on every address (bound and released at once),
/// for the one test whose port must come from the config file.
std::uint16_t free_port()
{
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_any;
    UniqueFd fd{::socket(AF_INET6, SOCK_STREAM, 0)};
    if (fd) {
        const int off = 0; // dual stack: the port must be free for IPv4 too
        check_syscall(::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off), "setsockopt");
        check_syscall(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), "bind");
        socklen_t length = sizeof address;
        check_syscall(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length), "getsockname");
        return ntohs(address.sin6_port);
    }
    sockaddr_in v4{}; // no IPv6 on this host
    v4.sin_family = AF_INET;
    fd = UniqueFd{check_syscall(::socket(AF_INET, SOCK_STREAM, 0), "socket")};
    check_syscall(::bind(fd.get(), reinterpret_cast<sockaddr*>(&v4), sizeof v4), "bind");
    socklen_t length = sizeof v4;
    check_syscall(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&v4), &length), "getsockname");
    return ntohs(v4.sin_port);
}

/// Five records in a chat log; the tests with a history of 2 expect the last two.
const std::vector<std::string>& five_records()
{
    static const std::vector<std::string> records = [] {
        std::vector<std::string> out;
        for (int i = 1; i <= 5; ++i) out.push_back(unique_line("record" + std::to_string(i)));
        return out;
    }();
    return records;
}

std::string joined_records()
{
    std::string text;
    for (const auto& record : five_records()) text += record + "\n";
    return text;
}

/// A new client reads its history (@p history), then its own line comes back
/// next: so the history was exactly those lines. Returns that line.
std::string expect_history_then_chat(Client& client, const std::vector<std::string>& history)
{
    expect_lines(client, history, settle(5s));
    const std::string hello = unique_line("after-history");
    client.send(hello + "\n");
    expect_lines(client, {hello}, settle(5s));
    return hello;
}

/// Keeps the server's stderr for the report of a test that starts its server
/// without the fixture (the listener shows it only when the test failed).
struct KeepStderr {
    harness::ServerProcess& server;
    ~KeepStderr() { grader::current_test().server_stderr = server.stderr_text(); }
};

TEST_F(Lab6, ConfigFileSettingsTakeEffect)
{
    declare_points(3, "Read --config before the other options: each `NAME value` line (names case-insensitive, # "
                      "comments) sets the long option of that name, e.g. PORT, HISTORY, MAX_CLIENTS, LOG.");
    const std::uint16_t port = free_port();
    const auto log = files.write("chat.log", joined_records());
    const auto config = files.write("papaya.conf", "# lab 6\nPORT " + std::to_string(port) +
                                                       "\nhistory 2\n  Max_Clients 1\nLOG " + log.string() + "\n");
    std::vector<std::string> args{"--config", config.string()};
    if (grader::has_capability("stage-flag")) args.insert(args.begin(), {"--stage", "6"});
    harness::LaunchOptions options;
    options.add_port = false;
    options.add_log = false;
    options.ready_timeout = settle(10s);
    std::string shown;
    for (const auto& word : harness::server_command()) shown += word + " ";
    for (const auto& word : args) shown += word + " ";
    step("write a chat log of 5 records and a config file with PORT " + std::to_string(port) +
         ", history 2, Max_Clients 1 and LOG; start the server: " + shown + "(no --port, no --log)");
    harness::ServerProcess server{args, options};
    const KeepStderr keep{server};
    EXPECT_EQ(server.port(), port) << "the READY line's port is not the config file's PORT";

    step("connect client A; expect the last 2 records of the log, then its own line back");
    Client a{server.port(), harness::Family::ipv4, settle(5s)};
    expect_history_then_chat(a, {five_records()[3], five_records()[4]});
    step("connect client B: with MAX_CLIENTS 1 it must be closed at once, without a reply");
    Client b{server.port(), harness::Family::ipv4, settle(5s)};
    b.expect_closed_within(settle(2s));
    step("client A sends a line and expects it back");
    expect_delivered(a, {&a});
}

TEST_F(Lab6, CommandLineOverridesConfigFile)
{
    declare_points(2, "Apply the config file first, then the command line: a flag given on the command line wins "
                      "over the same setting in the file.");
    const auto log = files.write("chat.log", joined_records());
    const auto config = files.write("papaya.conf", "HISTORY 5\nMAX_CLIENTS 1\n");
    step("write a chat log of 5 records and a config file with HISTORY 5 and MAX_CLIENTS 1");
    start_server({"--config", config.string(), "--history", "2", "--max-clients", "2", "--log", log.string()});
    auto a = connect("client A");
    step("client A expects the last 2 records (--history 2), then its own line back");
    const std::string from_a = expect_history_then_chat(a, {five_records()[3], five_records()[4]});
    auto b = connect("client B (admitted although MAX_CLIENTS is 1: --max-clients 2)");
    step("client B expects the last 2 records (the 5th and A's line), then its own line back");
    const std::string from_b = expect_history_then_chat(b, {five_records()[4], from_a});
    step("client A receives B's line; then each sends a line and both receive it");
    expect_lines(a, {from_b}, settle(5s));
    expect_delivered(a, {&a, &b});
    expect_delivered(b, {&a, &b});
}

TEST_F(Lab6, DaemonWritesPidfileAndStopsCleanly)
{
    declare_points(3, "With --daemon: fork, setsid, fork again, chdir /, write the pidfile, listen, print READY with "
                      "the daemon's pid, and only then let the first process exit 0; at SIGTERM remove the pidfile.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "--daemon forks (goref rejects it)");
    const auto pidfile = files.file("papayad.pid");
    start_server({"--daemon", "--pidfile", pidfile.string()});
    step("expect the command to exit with status 0 and the pidfile to hold the daemon's (READY) pid");
    const auto status = server().expect_exit(Deadline{settle(10s)});
    EXPECT_TRUE(status.success()) << "the command that started the daemon: " << status.describe();
    EXPECT_NE(server().pid(), server().launched_pid()) << "READY must carry the daemon's pid, not the command's";
    grader::expect_bytes(std::to_string(server().pid()) + "\n", harness::read_file(pidfile), "the pidfile");
    ASSERT_EQ(::kill(server().pid(), 0), 0) << "the pid of the pidfile is not a live process";
    const auto daemon = harness::read_proc_stat(server().pid());
    ASSERT_TRUE(daemon.has_value()) << "the daemon is gone";
    EXPECT_NE(daemon->sid, ::getsid(0)) << "the daemon is still in the session it was started from (no setsid()): "
                                        << "a hangup of that terminal reaches it";

    step("connect clients A and B; each sends a line and both receive it");
    auto clients = integration::join_many(server().port(), 2);
    expect_delivered(clients[0], {&clients[0], &clients[1]});
    expect_delivered(clients[1], {&clients[0], &clients[1]});

    step("send SIGTERM to the daemon's pid; expect every process gone within " + std::to_string(settle(2s).count()) +
         " ms and the pidfile removed");
    ASSERT_EQ(::kill(server().pid(), SIGTERM), 0);
    server().expect_no_processes_left(Deadline{settle(2s)});
    EXPECT_FALSE(std::filesystem::exists(pidfile)) << "the pidfile is still there after a clean stop";
}

TEST_F(Lab6, SigtermStopsEveryProcessWithStatusZero)
{
    declare_points(4, "On SIGTERM the acceptor must stop accepting, send SIGTERM to every client process (and the "
                      "anchor), reap them, kill those still alive after a grace period, and exit 0 — all within 2 s.");
    start_server();
    step("connect 4 clients; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 4);
    grader::expect_clean_stop(server(), clients);
}

TEST_F(Lab6, MaxClientsClosesTheConnectionOverTheBound)
{
    declare_points(2, "Count the connected clients (decrement when a client's processes are reaped); when the "
                      "count is at --max-clients, close a new connection at once without forking for it.");
    start_server({"--max-clients", "2"});
    step("connect clients A and B; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 2);
    auto third = connect("client C, over the bound of --max-clients 2");
    step("expect client C to be closed at once, without a reply");
    third.expect_closed_within(settle(2s));
    step("A and B each send a line and both receive it");
    expect_delivered(clients[0], {&clients[0], &clients[1]});
    expect_delivered(clients[1], {&clients[0], &clients[1]});
}

TEST_F(Lab6, ClientsKeepChattingWhenTheAcceptorIsStoppedOrKilled)
{
    declare_points(3, "Once a client is accepted its RECV and SEND processes serve it alone: they must never wait "
                      "for the acceptor (no pipe, lock or signal from it), so chat goes on when it stops or dies.");
    PAPAYA_REQUIRE_CAPABILITY("processes", "signals the acceptor process, which a goroutine server does not have");
    start_server();
    step("connect clients A and B; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 2);
    auto& a = clients[0];
    auto& b = clients[1];
    step("send SIGSTOP to the acceptor (pid " + std::to_string(server().pid()) + ") and wait until it is stopped");
    server().send_signal(SIGSTOP);
    ASSERT_TRUE(harness::poll_until(
        [&] {
            const auto stat = harness::read_proc_stat(server().pid());
            return stat && stat->state == 'T';
        },
        Deadline{settle(5s)}))
        << "the acceptor did not stop";
    step("A and B each send a line and both receive it");
    expect_delivered(a, {&a, &b}, "while-stopped");
    expect_delivered(b, {&a, &b}, "while-stopped");
    step("send SIGKILL to the acceptor; A and B each send a line and both receive it");
    server().send_signal(SIGKILL);
    ASSERT_TRUE(server().wait_exit(Deadline{settle(5s)}).has_value()) << "the acceptor did not die";
    expect_delivered(a, {&a, &b}, "after-kill");
    expect_delivered(b, {&a, &b}, "after-kill");
}

TEST_F(Lab6, OverlongLineClosesOnlyThatConnection)
{
    declare_points(2, "When the line being collected passes --max-line bytes without a \\n, close that client's "
                      "connection (appending nothing of it); the other clients are not affected.");
    start_server({"--max-line", "1000"});
    step("connect an observer and an offender; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 2);
    auto& observer = clients[0];
    auto& offender = clients[1];
    const std::string before = unique_line("before");
    const std::string after = unique_line("after");
    step("the offender sends a line, then a line of 1001 bytes and another line; expect its connection closed "
         "and the observer to receive only the first line");
    offender.try_send(before + "\n" + unique_line("overlong", 1001).substr(0, 1001) + "\n" + after + "\n");
    offender.expect_closed_within(settle(5s), /*allow_data=*/true);
    expect_lines(observer, {before}, settle(5s));
    step("the observer and a new client chat; nothing of the overlong line or after it arrived");
    std::string hello;
    auto other = integration::join(server().port(), {}, harness::Family::ipv4, &hello);
    expect_lines(observer, {hello}, settle(5s));
    expect_delivered(other, {&observer, &other});
}

TEST_F(Lab6, CrlfEmptyAndNulLinesFollowTheProtocol)
{
    declare_points(2, "Strip one trailing \\r, ignore empty lines, and drop a line containing a NUL byte; "
                      "every other byte of a line is kept as it is.");
    start_server();
    step("connect an observer and a sender; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 2);
    auto& observer = clients[0];
    auto& sender = clients[1];
    const std::string t = harness::random_token(8);
    std::string bytes = "crlf-" + t + "\r\n" + "\n" + "\r\n" + "nul-";
    bytes += '\0';
    bytes += "-" + t + "\n" + "two-cr-" + t + "\r\r\n" + "inner\r-" + t + "\n";
    step("the sender sends " + harness::printable(bytes) + " then a marker line");
    sender.send(bytes);
    const std::string marker = unique_line("marker");
    sender.send(marker + "\n");
    step("expect the observer to receive exactly the CRLF line without \\r, the line ending in \\r\\r\\n with one "
         "\\r, the line with an inner \\r, then the marker");
    std::string got;
    for (const auto& line : integration::read_until_line(observer, marker, settle(5s))) got += line + "\n";
    grader::expect_bytes("crlf-" + t + "\n" + "two-cr-" + t + "\r\n" + "inner\r-" + t + "\n", got,
                         "the lines the observer received before the marker");
}

TEST_F(Lab6, SlowLorisKeyIsCutOffAtTheTotalTimeout)
{
    declare_points(3, "Compute one deadline when the connection arrives and wait for the rest of the key with the "
                      "time left (poll), not a fresh --auth-timeout-ms for every read.");
    const std::string key = harness::random_key();
    const auto key_file = harness::write_key_file(files, key);
    start_server({"--key-file", key_file.string(), "--auth-timeout-ms", "1000"});
    const auto pace = 100ms;
    const auto bound = settle(2500ms);
    step("connect a client that sends the key one byte every " + std::to_string(pace.count()) +
         " ms (12.8 s for all of it); expect the server to close it after about 1000 ms in total, at most " +
         std::to_string(bound.count()) + " ms, without sending anything");
    Client client{server().port(), harness::Family::ipv4, settle(5s)};
    client.set_nodelay(true);
    const auto started = harness::Clock::now();
    bool closed = false;
    for (std::size_t sent = 0; sent < key.size() && !closed; ++sent) {
        if (!client.try_send(key.substr(sent, 1))) break; // reset: closed
        pollfd ready{.fd = client.fd(), .events = POLLIN, .revents = 0};
        if (::poll(&ready, 1, static_cast<int>(pace.count())) > 0) closed = !client.receive_available();
        if (harness::Clock::now() - started > bound) break;
    }
    if (!closed) closed = client.read_until_closed(Deadline{settle(100ms)});
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(harness::Clock::now() - started);
    EXPECT_TRUE(closed && waited <= bound) << "the connection was still open after " << waited.count() << " ms";
    EXPECT_GE(waited.count(), 900) << "closed before --auth-timeout-ms 1000 had passed";
    grader::expect_bytes("", client.buffered(), "what the server sent before authentication");
}

TEST_F(Lab6, ConnectionFloodDoesNotDisturbChat)
{
    declare_points(3, "Accept and reap quickly: a connection that closes at once must cost only a short-lived "
                      "process, never block the acceptor or leave it out of descriptors or process slots.");
    constexpr int connections = 300;
    start_server();
    step("connect clients A and B; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 2);
    auto& a = clients[0];
    auto& b = clients[1];
    step("open and close " + std::to_string(connections) +
         " connections; after every 30 A sends a line and both "
         "A and B receive it");
    for (int i = 1; i <= connections; ++i) {
        Client flood{server().port(), harness::Family::ipv4, settle(5s)};
        flood.close();
        if (i % 30 == 0) expect_delivered(a, {&a, &b}, "flood-" + std::to_string(i));
    }
    step("a new client C joins; C and B each send a line and A, B and C receive it");
    std::string hello;
    auto c = integration::join(server().port(), {}, harness::Family::ipv4, &hello);
    expect_lines(a, {hello}, settle(5s));
    expect_lines(b, {hello}, settle(5s));
    expect_delivered(c, {&a, &b, &c});
    expect_delivered(b, {&a, &b, &c});
}

/// Starts another server besides the fixture's (a numbered step; --stage 6
/// when the target takes it), without waiting for its READY.
std::unique_ptr<harness::ServerProcess> launch_another(std::vector<std::string> args, const std::string& what)
{
    if (grader::has_capability("stage-flag")) args.insert(args.begin(), {"--stage", "6"});
    harness::LaunchOptions options;
    options.wait_ready = false;
    std::string shown;
    for (const auto& word : harness::server_command()) shown += word + " ";
    for (const auto& word : args) shown += word + " ";
    step("start " + what + ": " + shown + "(plus --port 0)");
    return std::make_unique<harness::ServerProcess>(std::move(args), options);
}

/// Waits until @p server prints READY or its command exits (within 10 s);
/// true when it printed READY.
bool started(harness::ServerProcess& server)
{
    harness::poll_until([&] { return server.ready_line_count() > 0 || server.wait_exit(Deadline{0ms}).has_value(); },
                        Deadline{settle(10s)});
    return server.ready_line_count() > 0;
}

/// Expects @p second to be refused: its command exits with status 1, no READY.
void expect_refused_start(harness::ServerProcess& second, const std::string& why)
{
    const bool ready = started(second);
    if (ready) {
        ADD_FAILURE() << "the second server printed READY: it started although " << why << "; its stderr:\n"
                      << second.stderr_text();
        return;
    }
    const auto status = second.wait_exit(Deadline{0ms});
    ASSERT_TRUE(status.has_value()) << "the second server's command neither exited nor printed READY within "
                                    << settle(10s).count() << " ms";
    EXPECT_EQ(status->describe(), "exit 1") << "how the second server's command ended (" << why << ")";
}

/// The pid the pidfile names, as `kill $(cat pidfile)` would read it (0 when none).
pid_t pid_in(const std::filesystem::path& pidfile)
{
    const std::string text = harness::read_file(pidfile);
    pid_t pid = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') break;
        pid = pid * 10 + (c - '0');
    }
    return pid;
}

/// `kill $(cat pidfile)`: expects the pidfile to name @p server and SIGTERM to stop every process of it.
void expect_pidfile_stops(harness::ServerProcess& server, const std::filesystem::path& pidfile)
{
    step("expect the pidfile to still hold the first server's pid (" + std::to_string(server.pid()) +
         "); `kill $(cat pidfile)` must stop it: every process gone within " + std::to_string(settle(2s).count()) +
         " ms");
    grader::expect_bytes(std::to_string(server.pid()) + "\n", harness::read_file(pidfile), "the pidfile");
    const pid_t named = pid_in(pidfile);
    ASSERT_GT(named, 0) << "the pidfile names no process";
    ::kill(named, SIGTERM);
    server.expect_no_processes_left(Deadline{settle(2s)});
}

constexpr const char* pidfile_lock_hint =
    "Lock the pidfile with fcntl(F_SETLK, F_WRLCK) before writing your pid, and when the lock is taken refuse "
    "to start (a message, exit status 1) without touching the file: another server is running, and `kill "
    "$(cat pidfile)` must still reach it (daemon.cpp: Pidfile).";

TEST_F(Lab6, SecondServerWithALockedPidfileIsRefused)
{
    declare_points(2, pidfile_lock_hint);
    const auto pidfile = files.file("papayad.pid");
    start_server({"--pidfile", pidfile.string()});
    grader::expect_bytes(std::to_string(server().pid()) + "\n", harness::read_file(pidfile), "the pidfile");
    auto second = launch_another({"--pidfile", pidfile.string()}, "a second server with the same --pidfile");
    step("expect it to exit with status 1 within " + std::to_string(settle(10s).count()) + " ms, without READY");
    expect_refused_start(*second, "the first server holds the pidfile's lock");
    if (HasFailure()) return;
    expect_pidfile_stops(server(), pidfile);
}

TEST_F(Lab6, DaemonLauncherReportsAFailedStart)
{
    declare_points(2, std::string("The --daemon command must wait (on a pipe) until the daemon has written its pidfile "
                                  "and READY, exit 0 then, and exit 1 when the daemon fails before: exiting 0 right "
                                  "after the first fork reports success for a daemon that died. ") +
                          pidfile_lock_hint);
    PAPAYA_REQUIRE_CAPABILITY("processes", "--daemon forks (goref rejects it)");
    const auto pidfile = files.file("papayad.pid");
    start_server({"--daemon", "--pidfile", pidfile.string()});
    step("expect the command to exit with status 0 once the daemon is ready");
    EXPECT_TRUE(server().expect_exit(Deadline{settle(10s)}).success());
    auto second = launch_another({"--daemon", "--pidfile", pidfile.string()},
                                 "a second daemon with the same --pidfile");
    step("expect its command to exit with status 1 within " + std::to_string(settle(10s).count()) +
         " ms, without READY, and to say why on stderr");
    expect_refused_start(*second, "its daemon cannot lock the pidfile");
    EXPECT_NE(second->stderr_text(), "") << "the failed start printed no message on stderr";
    if (HasFailure()) return;
    expect_pidfile_stops(server(), pidfile);
}

TEST_F(Lab6, RestartsAfterTheAcceptorIsKilledWithClientsConnected)
{
    declare_points(3, "Lock the pidfile with fcntl(2), not flock(2): an fcntl lock belongs to the process and dies "
                      "with it, even by SIGKILL; a flock lock belongs to the open file, which every client process "
                      "inherits at fork, so after the acceptor crashes the clients it left keep the lock and the "
                      "server cannot be started again (daemon.cpp: Pidfile).");
    PAPAYA_REQUIRE_CAPABILITY("processes", "kills the acceptor process, which a goroutine server does not have");
    const auto pidfile = files.file("papayad.pid");
    start_server({"--pidfile", pidfile.string()});
    step("connect client A; it sends a line and reads it back");
    std::string hello;
    auto a = integration::join(server().port(), {}, harness::Family::ipv4, &hello);
    step("send SIGKILL to the acceptor (pid " + std::to_string(server().pid()) + "); A's processes go on");
    server().send_signal(SIGKILL);
    ASSERT_TRUE(server().wait_exit(Deadline{settle(5s)}).has_value()) << "the acceptor did not die";
    auto second = launch_another({"--pidfile", pidfile.string()}, "the server again with the same --pidfile");
    step("expect READY within " + std::to_string(settle(10s).count()) +
         " ms (the pidfile's lock died with the acceptor) and the pidfile to hold the new pid");
    const bool ready = started(*second);
    if (!ready) {
        const auto status = second->wait_exit(Deadline{0ms});
        FAIL() << "the server did not start again after its acceptor was killed (its command: "
               << (status ? status->describe() : std::string("still running, no READY")) << "); its stderr:\n"
               << second->stderr_text();
    }
    grader::expect_bytes(std::to_string(second->pid()) + "\n", harness::read_file(pidfile), "the pidfile");
    step("connect client B to the new server; it sends a line and reads it back");
    integration::join(second->port(), {}, harness::Family::ipv4);
}

} // namespace
} // namespace papaya::lab6
