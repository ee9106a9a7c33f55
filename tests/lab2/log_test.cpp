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
#include <array>
#include <cerrno>
#include <csignal>
#include <functional>
#include <map>
#include <random>

#include "chat_helpers.hpp"
#include "lab2.hpp"
#include "papaya/grader/grader.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::lab2 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using integration::unique_line;

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
    std::map<std::string, std::pair<std::size_t, std::size_t>> origin; // record -> (client, index)
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
    declare_points(3,
                   "On connect send the last H complete lines: search backwards from the end of the log for "
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

/// A client that joins while others write: what it received, checked once the log is final.
struct Joiner {
    explicit Joiner(harness::Client c) : client(std::move(c)) {}
    harness::Client client;
    std::size_t number = 0;         // 1-based, for the report
    std::size_t records_before = 0; // complete records in the log just before it connected
    std::size_t lines = 0;          // complete lines received so far
    std::size_t counted = 0;        // bytes of the buffer already searched for newlines
    bool done = false;              // has its history (or was closed)
};

/// Counts the complete records of the log, reading only what was appended since the last call.
class RecordCounter {
public:
    explicit RecordCounter(const std::filesystem::path& log)
        : fd_(papaya::check_syscall(::open(log.c_str(), O_RDONLY | O_CLOEXEC), "open"))
    {
    }
    std::size_t count()
    {
        std::array<char, 64 * 1024> chunk{};
        for (;;) {
            const ssize_t n = ::pread(fd_.get(), chunk.data(), chunk.size(), offset_);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return records_;
            offset_ += n;
            records_ += static_cast<std::size_t>(std::count(chunk.data(), chunk.data() + n, '\n'));
        }
    }

private:
    papaya::UniqueFd fd_;
    off_t offset_ = 0;
    std::size_t records_ = 0;
};

/// Why @p received is not whole, contiguous records of @p log in log order
/// (each record's index in @p where); "" when it is.
std::string contiguity_problem(std::string_view received, const std::vector<std::string>& log,
                               const std::map<std::string, std::size_t, std::less<>>& where)
{
    std::size_t line = 0;
    std::size_t expected = 0; // the log index the next line must have
    for (std::size_t start = 0; start < received.size(); ++line) {
        const std::size_t end = received.find('\n', start);
        const std::string_view text = received.substr(start, end - start);
        start = end + 1;
        const auto it = where.find(text);
        if (it == where.end())
            return "its line " + std::to_string(line + 1) +
                   " is no record of the log (a piece of one, or pieces "
                   "of two?): " +
                   harness::printable(text, 160);
        if (line > 0 && it->second != expected) {
            const std::string after = "record " + std::to_string(expected) + " of the log (" +
                                      harness::printable(log[expected - 1], 60) + ")";
            if (it->second > expected)
                return "its line " + std::to_string(line + 1) + " is record " + std::to_string(it->second + 1) +
                       " of the log, but line " + std::to_string(line) + " was " + after + ": " +
                       std::to_string(it->second - expected) + " record(s) skipped";
            return "its line " + std::to_string(line + 1) + " is record " + std::to_string(it->second + 1) +
                   " of the log again (or out of order): line " + std::to_string(line) + " was " + after;
        }
        expected = it->second + 1;
    }
    return {};
}

TEST_F(Lab2, JoinersGetWholeRecordsWhileOthersWrite)
{
    declare_points(3, "Read the log with pread(2) on a descriptor this process opened itself: a descriptor opened "
                      "before fork() shares one file offset with every other process, so between your lseek(2) and "
                      "read(2) another reader or an O_APPEND writer moves it and you read the wrong bytes.");
    constexpr std::size_t old_records = 10000;
    constexpr std::size_t history = 8000;
    constexpr std::size_t writers = 4;
    constexpr std::size_t waves = 12;
    constexpr std::size_t per_wave = 6;
    constexpr std::size_t lines_per_batch = 20;
    constexpr std::size_t max_written = 400000; // bounds the log (about 20 MB)
    const harness::TempDir dir{"papaya-lab2"};
    const auto log = dir.file("chat.log");
    auto rng = grader::test_rng();
    std::uniform_int_distribution<std::size_t> padding(20, 200);
    const std::string run = harness::random_token(6);
    std::string text;
    for (std::size_t i = 0; i < old_records; ++i) {
        text += "old-" + run + ": record " + std::to_string(i) + " ";
        text.append(padding(rng), static_cast<char>('a' + i % 26));
        text += '\n';
    }
    step("write a log of " + std::to_string(old_records) + " records (" + std::to_string(text.size()) + " bytes)");
    harness::write_file(log, text);
    start_server({"--log", log.string(), "--history", std::to_string(history)});

    step("connect " + std::to_string(writers) + " writers; they keep sending lines while the others join");
    std::vector<harness::Client> writing;
    std::vector<std::string> pending(writers);
    std::size_t written = 0;
    for (std::size_t w = 0; w < writers; ++w) writing.emplace_back(server().port(), harness::Family::ipv4, settle(5s));
    // Up to a budget that grows wave by wave, each writer's socket is kept
    // full: its RECV process appends without pause while the others join.
    std::size_t budget = 0;
    const auto keep_writing = [&] {
        for (std::size_t w = 0; w < writers; ++w) {
            while (written < budget) {
                if (pending[w].empty()) {
                    for (std::size_t k = 0; k < lines_per_batch; ++k, ++written) {
                        pending[w] += "writer" + std::to_string(w) + "-" + run + ": line " + std::to_string(written) +
                                      " ";
                        pending[w].append(written % 16, static_cast<char>('A' + written % 26));
                        pending[w] += '\n';
                    }
                }
                pending[w].erase(0, writing[w].send_available(pending[w]));
                if (!pending[w].empty()) break; // its socket is full
            }
        }
    };

    step("in " + std::to_string(waves) + " waves, connect " + std::to_string(per_wave) +
         " clients at once and read until each has " + std::to_string(history) +
         " complete lines (its history), within " + std::to_string(settle(10s).count()) +
         " ms per wave (no more waves after one in which a client did not)");
    std::vector<Joiner> joiners;
    RecordCounter in_log{log};
    std::vector<std::string> late; // one note per joiner that did not get its history in time
    for (std::size_t wave = 0; wave < waves; ++wave) {
        budget = (wave + 1) * (max_written / waves);
        keep_writing();
        const std::size_t first = joiners.size();
        for (std::size_t j = 0; j < per_wave; ++j) {
            const std::size_t before = in_log.count();
            joiners.emplace_back(harness::Client{server().port(), harness::Family::ipv4, settle(5s)});
            joiners.back().number = joiners.size();
            joiners.back().records_before = before;
        }
        const harness::Deadline deadline{settle(10s)};
        for (;;) {
            std::vector<pollfd> fds;
            for (std::size_t j = first; j < joiners.size(); ++j)
                if (!joiners[j].done) fds.push_back({joiners[j].client.fd(), POLLIN, 0});
            if (fds.empty() || deadline.expired()) break;
            keep_writing();
            // Writers always have room: wait a millisecond at most, so they keep writing.
            if (::poll(fds.data(), fds.size(), 1) < 0 && errno != EINTR) papaya::throw_syscall_error("poll");
            for (std::size_t j = first; j < joiners.size(); ++j) {
                auto& joiner = joiners[j];
                if (joiner.done) continue;
                const bool open = joiner.client.receive_available();
                const std::string& buffered = joiner.client.buffered();
                joiner.lines += static_cast<std::size_t>(
                    std::count(buffered.begin() + static_cast<long>(joiner.counted), buffered.end(), '\n'));
                joiner.counted = buffered.size();
                joiner.done = joiner.lines >= history || !open;
            }
        }
        for (std::size_t j = first; j < joiners.size(); ++j) {
            const auto& joiner = joiners[j];
            if (joiner.lines < history)
                late.push_back("client J" + std::to_string(joiner.number) + " received " +
                               std::to_string(joiner.lines) + " complete lines, expected at least " +
                               std::to_string(history) +
                               (joiner.client.closed_by_server() ? ", then the server closed the connection"
                                                                 : " (history cut short?)"));
        }
        // What they received stays in their buffers; their server processes need not.
        for (std::size_t j = first; j < joiners.size(); ++j) joiners[j].client.close();
        if (!late.empty()) break; // failed already: no more waves to wait for
    }
    step("finish the writers' last lines (" + std::to_string(written) +
         " lines in all) and wait until the log "
         "holds them, within " +
         std::to_string(settle(20s).count()) + " ms");
    for (std::size_t w = 0; w < writers; ++w) writing[w].send(pending[w]);
    const std::size_t total = old_records + written;
    log_once_it_has_records(server().log_path(), total, 20s);
    const auto records = integration::log_lines(server().log_path());
    if (records.size() != total) FAIL() << "the log holds " << records.size() << " records, expected " << total;
    std::map<std::string, std::size_t, std::less<>> where;
    for (std::size_t i = 0; i < records.size(); ++i) where.emplace(records[i], i);

    step("expect what each client received to be whole records of the log, one after the other, in log order");
    std::size_t broken = 0;
    std::string first_problem;
    for (auto& joiner : joiners) {
        const std::string& buffered = joiner.client.buffered();
        const std::string_view complete{buffered.data(), buffered.rfind('\n') + 1};
        std::string problem = contiguity_problem(complete, records, where);
        if (problem.empty() && !complete.empty()) {
            // The log only grows: the last H records it held when the client
            // connected start at or after this record.
            const std::size_t earliest = joiner.records_before - std::min(joiner.records_before, history);
            const std::size_t first = where.find(complete.substr(0, complete.find('\n')))->second;
            if (first < earliest)
                problem = "its history starts at record " + std::to_string(first + 1) +
                          " of the log, but the log "
                          "held " +
                          std::to_string(joiner.records_before) + " records when it connected, so the last " +
                          std::to_string(history) + " started at record " + std::to_string(earliest + 1) +
                          " or later: " + std::to_string(earliest - first) + " records too many";
        }
        if (problem.empty()) continue;
        if (broken++ == 0)
            first_problem = "client J" + std::to_string(joiner.number) + " of " + std::to_string(joiners.size()) +
                            " received " + std::to_string(joiner.lines) + " complete lines; " + problem;
    }
    if (broken > 0)
        ADD_FAILURE() << broken << " of " << joiners.size() << " clients received something else than whole "
                      << "records in log order; the first: " << first_problem;
    if (!late.empty())
        ADD_FAILURE() << late.size() << " of " << joiners.size() << " clients did not get their history of " << history
                      << " lines in time; the first: " << late.front();
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
            if (n < 0 && errno == EAGAIN) { // the harness's sockets are non-blocking
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
    client.close(); // only the child holds the connection now
    if (!child.wait_sent(harness::Deadline{settle(5s)})) FAIL() << "the child could not send its bytes";
    step("wait until the server has read every byte (its receive queue is empty) and logged the whole line");
    const bool read_all = harness::poll_until(
        [&] {
            const auto end = harness::server_end(server().port(), client_port);
            return end && end->rx_queue == 0 &&
                   harness::read_file(server().log_path()).find(whole + "\n") != std::string::npos;
        },
        harness::Deadline{settle(5s)});
    if (!read_all)
        FAIL() << "the server did not read client A's bytes and log its whole line within " << settle(5s).count()
               << " ms; the log holds " << harness::printable(harness::read_file(server().log_path()), 200);
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
