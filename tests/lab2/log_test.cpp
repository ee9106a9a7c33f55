// Lab 2: the chat log (PROTOCOL.md sections 4, 5 and 7). The server is started
// with --stage 2: every complete line a client sends is appended to the log as
// one record, and a client that connects gets the last H records (history);
// nothing is pushed live yet, so these tests read the log file itself.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <array>
#include <csignal>
#include <map>
#include <random>

#include "chat_helpers.hpp"
#include "papaya/grader/grader.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::lab2 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using integration::unique_line;

class Lab2 : public grader::StageTest {};

/// Polls the chat log until it contains @p needle; returns its text then (or at the deadline).
std::string log_once_it_has(const std::filesystem::path& log, std::string_view needle, std::chrono::milliseconds within)
{
    std::string text;
    harness::poll_until([&] { return (text = harness::read_file(log)).find(needle) != std::string::npos; },
                        harness::Deadline{settle(within)});
    return text;
}

/// Polls the chat log until it holds at least @p records newlines; returns its text then (or at the deadline).
std::string log_once_it_has_records(const std::filesystem::path& log, std::size_t records,
                                    std::chrono::milliseconds within)
{
    std::string text;
    harness::poll_until(
        [&] {
            text = harness::read_file(log);
            return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) >= records;
        },
        harness::Deadline{settle(within)});
    return text;
}

TEST_F(Lab2, LinesReachTheLogAsWholeRecords)
{
    declare_points(2, "Collect the bytes you read into lines (a line may arrive in pieces, several in one read) and "
                      "append each complete line, with its \\n, to the log in one write(2) (chat_log.cpp: append).");
    start_server();
    auto client = connect("client A");
    const std::vector<std::string> lines{unique_line("a1"), unique_line("a2", 200), unique_line("a3")};
    std::string bytes;
    for (const auto& line : lines) bytes += line + "\n";
    const std::array<std::size_t, 4> sizes{5, 17, 301, 3};
    step("send 3 lines in pieces of 5, 17, 301 and 3 bytes (lines cut across sends)");
    client.send_segmented(bytes, sizes);
    step("expect the log to hold exactly those 3 records within " + std::to_string(settle(5s).count()) + " ms");
    grader::expect_bytes(bytes, log_once_it_has_records(server().log_path(), lines.size(), 5s), "the chat log");
}

TEST_F(Lab2, ConcurrentClientsNeverInterleave)
{
    declare_points(4, "Each RECV process must open the log itself (O_APPEND) and write every record whole, in one "
                      "write(2) under flock(LOCK_EX): a lock taken on a descriptor shared across fork() excludes "
                      "nobody, and a record written in two pieces lets another client's record in between.");
    constexpr std::size_t clients = 8;
    constexpr std::size_t per_client = 1000;
    constexpr std::size_t per_send = 50;
    start_server();
    std::vector<harness::Client> everyone;
    step("connect " + std::to_string(clients) + " clients");
    for (std::size_t c = 0; c < clients; ++c) everyone.emplace_back(server().port(), harness::Family::ipv4, settle(5s));
    auto rng = grader::test_rng();
    std::uniform_int_distribution<std::size_t> padding(0, 100);
    const std::string run = harness::random_token(6);
    std::map<std::string, std::pair<std::size_t, std::size_t>> origin;  // record -> (client, index)
    std::vector<std::vector<std::string>> outgoing(clients);
    for (std::size_t c = 0; c < clients; ++c) {
        for (std::size_t m = 0; m < per_client; ++m) {
            std::string line = "client" + std::to_string(c) + "-" + run + ": line " + std::to_string(m) + " ";
            line.append(padding(rng), static_cast<char>('a' + (c + m) % 26));
            origin.emplace(line, std::make_pair(c, m));
            outgoing[c].push_back(std::move(line));
        }
    }
    // Many lines per send keep every RECV process busy at once: the more they
    // overlap, the likelier a record written in pieces is caught.
    step("all clients send " + std::to_string(per_client) + " lines each, " + std::to_string(per_send) +
         " lines per client in turn");
    for (std::size_t m = 0; m < per_client; m += per_send) {
        for (std::size_t c = 0; c < clients; ++c) {
            std::string batch;
            for (std::size_t k = m; k < m + per_send; ++k) batch += outgoing[c][k] + "\n";
            everyone[c].send(batch);
        }
    }
    const std::size_t total = clients * per_client;
    step("expect the log to hold exactly " + std::to_string(total) + " records within " +
         std::to_string(settle(20s).count()) + " ms, each one line as sent, each client's in its order");
    log_once_it_has_records(server().log_path(), total, 20s);
    const auto records = integration::log_lines(server().log_path());
    std::vector<std::size_t> next(clients, 0);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto it = origin.find(records[i]);
        if (it == origin.end())
            FAIL() << "record " << i + 1 << " of the log is no line any client sent (two records mixed up?): "
                   << harness::printable(records[i], 200);
        const auto [c, m] = it->second;
        if (m != next[c])
            FAIL() << "record " << i + 1 << " is client " << c << "'s line " << m << ", expected its line " << next[c]
                   << " (lost, repeated or out of order)";
        ++next[c];
    }
    EXPECT_EQ(records.size(), total) << "the log holds " << records.size() << " records, expected " << total;
}

TEST_F(Lab2, HistoryIsTheLastLinesNeverAFragment)
{
    declare_points(3, "On connect send the last H complete lines: search backwards from the end of the log for "
                      "newlines (a line can be longer than any buffer), skip a partial last line, send whole lines only.");
    const harness::TempDir dir{"papaya-lab2"};
    std::vector<std::string> lines;
    std::string text;
    for (const std::size_t length : {3000UL, 3000UL, 3000UL, 70000UL, 50UL, 100000UL, 60UL, 4000UL}) {
        lines.push_back(unique_line("old", length));
        text += lines.back() + "\n";
    }
    text += unique_line("partial-last-line-without-newline");
    const auto log = dir.file("chat.log");
    step("write a log of 8 lines (some of 70000 and 100000 bytes) and a partial last line");
    harness::write_file(log, text);
    start_server({"--log", log.string(), "--history", "5"});
    auto client = connect("client A");
    std::string expected;
    for (std::size_t i = lines.size() - 5; i < lines.size(); ++i) expected += lines[i] + "\n";
    step("expect the last 5 complete lines (" + std::to_string(expected.size()) + " bytes), then nothing");
    const std::string got = client.read_exact(expected.size(), settle(10s), "the history");
    if (!grader::expect_bytes(expected, got, "the history")) return;
    client.expect_no_data_for(settle(300ms));
}

TEST_F(Lab2, RecordsSurviveARestart)
{
    declare_points(2, "Open the log with O_APPEND | O_CREAT and never truncate it: records written before a "
                      "restart are the next server's history.");
    const harness::TempDir dir{"papaya-lab2"};
    const auto log = dir.file("chat.log");
    start_server({"--log", log.string()});
    auto client = connect("client A");
    const std::vector<std::string> lines{unique_line("before1"), unique_line("before2"), unique_line("before3")};
    std::string bytes;
    for (const auto& line : lines) bytes += line + "\n";
    step("send 3 lines and wait until the log holds them");
    client.send(bytes);
    if (!grader::expect_bytes(bytes, log_once_it_has_records(log, lines.size(), 5s), "the chat log")) return;
    step("stop the server (SIGKILL to all its processes) and start it again on the same log");
    client.close();
    const std::vector<std::string> args(server().argv().begin() + static_cast<long>(harness::server_command().size()),
                                        server().argv().end());
    server().stop();
    harness::LaunchOptions options;
    options.ready_timeout = settle(10s);
    harness::ServerProcess again{args, options};
    step("connect client B to the new server (port " + std::to_string(again.port()) +
         ") and expect the 3 lines as its history");
    harness::Client reader{again.port(), harness::Family::ipv4, settle(5s)};
    grader::expect_bytes(bytes, reader.read_exact(bytes.size(), settle(5s), "the history"), "the history");
}

/// A child process that owns a connection: it sends its bytes, reports that
/// it did on a pipe, and waits to be killed (killed and reaped on destruction).
class ConnectionOwner {
public:
    ConnectionOwner(int socket, const std::string& bytes)
    {
        int ends[2];
        papaya::check_syscall(::pipe2(ends, O_CLOEXEC), "pipe2");
        done_.reset(ends[0]);
        papaya::UniqueFd done_write{ends[1]};
        pid_ = papaya::check_syscall(::fork(), "fork");
        if (pid_ == 0) run(socket, bytes, done_write.get());
    }
    ~ConnectionOwner() { kill(); }
    ConnectionOwner(const ConnectionOwner&) = delete;
    ConnectionOwner& operator=(const ConnectionOwner&) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    /// True once the child reported that every byte was sent.
    bool wait_sent(harness::Deadline deadline) const
    {
        pollfd p{done_.get(), POLLIN, 0};
        char byte = 0;
        return ::poll(&p, 1, deadline.poll_timeout_ms()) == 1 && ::read(done_.get(), &byte, 1) == 1;
    }
    /// SIGKILLs the child and reaps it; idempotent.
    void kill()
    {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }

private:
    // Only async-signal-safe calls: the test process has other threads.
    [[noreturn]] static void run(int socket, const std::string& bytes, int done)
    {
        for (std::size_t sent = 0; sent < bytes.size();) {
            const ssize_t n = ::write(socket, bytes.data() + sent, bytes.size() - sent);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EAGAIN) {  // the harness's sockets are non-blocking
                pollfd writable{socket, POLLOUT, 0};
                ::poll(&writable, 1, -1);
                continue;
            }
            if (n <= 0) ::_exit(1);
            sent += static_cast<std::size_t>(n);
        }
        if (::write(done, "s", 1) != 1) ::_exit(1);
        for (;;) ::pause();
    }

    papaya::UniqueFd done_;
    pid_t pid_ = -1;
};

/// Expects the server to close its end of client A's connection (from
/// @p client_port), then sends a marker line from a fresh client B and expects
/// the log to be exactly client A's @p whole line followed by the marker.
void expect_closed_and_only_whole_line_logged(harness::ServerProcess& server, std::uint16_t client_port,
                                              const std::string& whole)
{
    step("expect the server to close its end of client A's connection");
    integration::expect_server_closed(server.port(), client_port, settle(5s));
    const std::string marker = unique_line("marker");
    step("connect client B, send the line " + harness::printable(marker, 60) +
         " and expect the log to be client A's whole line, then it");
    harness::Client other{server.port(), harness::Family::ipv4, settle(5s)};
    other.send(marker + "\n");
    const std::string text = log_once_it_has(server.log_path(), marker + "\n", 5s);
    grader::expect_bytes(whole + "\n" + marker + "\n", text, "the chat log");
}

TEST_F(Lab2, ClientKilledMidLineLeavesNoPartialRecord)
{
    declare_points(3, "A client can die in the middle of a line: keep the bytes of an unfinished line in the RECV "
                      "process and append only lines whose \\n has arrived; at end of stream drop the rest.");
    start_server();
    auto client = connect("client A");
    const std::string whole = unique_line("whole");
    const std::string partial = unique_line("partial", 3000);
    step("fork a child process that takes over client A's connection, sends one whole line and 3000 bytes "
         "of a second one without its \\n, then waits");
    ConnectionOwner child{client.fd(), whole + "\n" + partial};
    const auto client_port = client.local_port();
    client.close();  // only the child holds the connection now
    if (!child.wait_sent(harness::Deadline{settle(5s)})) FAIL() << "the child could not send its bytes";
    step("wait until the server has read every byte (its receive queue is empty) and logged the whole line");
    const bool read_all = harness::poll_until(
        [&] {
            const auto end = harness::server_end(server().port(), client_port);
            return end && end->rx_queue == 0 &&
                   harness::read_file(server().log_path()).find(whole + "\n") != std::string::npos;
        },
        harness::Deadline{settle(5s)});
    if (!read_all) FAIL() << "the server did not read client A's bytes and log its whole line within "
                          << settle(5s).count() << " ms; the log holds "
                          << harness::printable(harness::read_file(server().log_path()), 200);
    step("SIGKILL the child (pid " + std::to_string(child.pid()) + ")");
    child.kill();
    expect_closed_and_only_whole_line_logged(server(), client_port, whole);
}

TEST_F(Lab2, PartialLineAtDisconnectIsDiscarded)
{
    declare_points(2, "When read(2) returns 0, the bytes after the last \\n are an unfinished line: discard them, "
                      "never append them as a record.");
    start_server();
    auto client = connect("client A");
    const std::string whole = unique_line("whole");
    step("send one whole line and the start of another, then close the connection");
    client.send(whole + "\n" + unique_line("unfinished"));
    const auto client_port = client.local_port();
    client.close();
    expect_closed_and_only_whole_line_logged(server(), client_port, whole);
}

} // namespace
} // namespace papaya::lab2
