// Client to server lines (PROTOCOL.md section 5) and what reaches the log
// (section 7) when a client dies mid-line.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

#include "chat_helpers.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

/// The default --max-line.
constexpr std::size_t max_line = 4096;

/// Records appended to the log after @p marker (a line already in it).
std::vector<std::string> log_after(const std::filesystem::path& log, std::string_view marker)
{
    const auto lines = log_lines(log);
    const auto it = std::find(lines.begin(), lines.end(), marker);
    if (it == lines.end()) harness::fail("marker " + harness::printable(marker) + " is not in the log");
    return {it + 1, lines.end()};
}

TEST(LineRules, CrlfEmptyAndNulLines)
{
    ServerProcess server;
    Client observer = join(server.port());
    Client sender = join(server.port());
    const std::string start = sync(sender, {&observer, &sender});
    const std::string t = harness::random_token(8);
    std::string nul_line = "nul-";
    nul_line += '\0';
    nul_line += "-" + t + "\n";
    sender.send("crlf-" + t + "\r\n" + "\n" + "\r\n" + nul_line + "two-cr-" + t + "\r\r\n" + "inner\r-" + t + "\n");
    const std::string end = sync(sender, {&observer, &sender});
    const std::vector<std::string> expected{"crlf-" + t, "two-cr-" + t + "\r", "inner\r-" + t, end};
    EXPECT_EQ(log_after(server.log_path(), start), expected);
    // The observer already consumed up to `end`; the log holds what it saw.
}

TEST(LineRules, LineOfExactlyMaxLineIsAccepted)
{
    ServerProcess server;
    Client observer = join(server.port());
    Client sender = join(server.port());
    sync(sender, {&observer, &sender});
    const std::string longest = unique_line("max", max_line).substr(0, max_line);
    sender.send(longest + "\n");
    expect_lines(observer, {longest});
    const std::string with_cr = unique_line("maxcr", max_line).substr(0, max_line);
    sender.send(with_cr + "\r\n"); // the stripped `\r` does not count
    expect_lines(observer, {with_cr});
}

class Overlong : public ::testing::TestWithParam<bool> {};

// An overlong line closes the connection; lines completed before it are
// appended, it and whatever follows are not; other clients are unaffected.
TEST_P(Overlong, ClosesTheConnectionAndAppendsNothingOfIt)
{
    const bool terminated = GetParam();
    ServerProcess server;
    Client observer = join(server.port());
    Client offender = join(server.port());
    const std::string start = sync(offender, {&observer, &offender});
    const std::string before = unique_line("before");
    std::string bytes = before + "\n" + unique_line("overlong", max_line + 1).substr(0, max_line + 1);
    if (terminated) bytes += "\n" + unique_line("after") + "\n";
    offender.try_send(bytes);
    offender.expect_closed_within(5s, /*allow_data=*/true);
    expect_server_closed(server.port(), offender.local_port());

    expect_lines(observer, {before});
    Client other = join(server.port());
    const std::string end = sync(other, {&observer, &other});
    const auto appended = log_after(server.log_path(), start);
    ASSERT_EQ(appended.size(), 3u) << "expected only the line before, a join and a sync line";
    EXPECT_EQ(appended[0], before);
    EXPECT_EQ(appended[2], end);
}

INSTANTIATE_TEST_SUITE_P(LineRules, Overlong, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Terminated" : "Unterminated"; });

TEST(LineRules, PartialLineAtDisconnectIsDiscarded)
{
    ServerProcess server;
    Client observer = join(server.port());
    const std::string start = sync(observer, {&observer});
    const std::string whole = unique_line("whole");
    {
        std::string hello;
        Client leaver = join(server.port(), {}, Family::ipv4, &hello);
        read_until_line(observer, hello);
        leaver.send(whole + "\n" + unique_line("partial"));
        expect_lines(observer, {whole});
        const auto port = leaver.local_port();
        leaver.close();
        expect_server_closed(server.port(), port);
    }
    const std::string end = sync(observer, {&observer});
    const auto appended = log_after(server.log_path(), start);
    ASSERT_EQ(appended.size(), 3u);
    EXPECT_EQ(appended[1], whole);
    EXPECT_EQ(appended[2], end);
}

/// A client in a child process: connects, reports its local port, writes
/// @p burst (many lines ending mid-line) in one write loop, then waits to die.
class BurstingChild {
public:
    BurstingChild(std::uint16_t port, const std::string& burst)
    {
        int report[2];
        papaya::check_syscall(::pipe2(report, O_CLOEXEC), "pipe2");
        report_.reset(report[0]);
        papaya::UniqueFd report_write{report[1]};
        pid_ = papaya::check_syscall(::fork(), "fork");
        if (pid_ == 0) run(port, burst, report_write.get()); // never returns
    }
    ~BurstingChild()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    BurstingChild(const BurstingChild&) = delete;
    BurstingChild& operator=(const BurstingChild&) = delete;

    /// The child's local port, once it is connected.
    std::uint16_t local_port()
    {
        std::uint16_t port = 0;
        pollfd p{report_.get(), POLLIN, 0};
        if (::poll(&p, 1, 10000) != 1 || ::read(report_.get(), &port, sizeof port) != sizeof port) {
            harness::fail("the bursting child did not connect");
        }
        return port;
    }
    /// SIGKILLs the child and reaps it.
    void kill()
    {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

private:
    // Only async-signal-safe calls: the test process has other threads.
    [[noreturn]] static void run(std::uint16_t port, const std::string& burst, int report)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) ::_exit(1);
        socklen_t length = sizeof address;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
        const std::uint16_t local = ntohs(address.sin_port);
        if (::write(report, &local, sizeof local) != sizeof local) ::_exit(1);
        for (std::size_t done = 0; done < burst.size();) {
            const ssize_t n = ::write(fd, burst.data() + done, burst.size() - done);
            if (n <= 0) ::_exit(1);
            done += static_cast<std::size_t>(n);
        }
        for (;;) ::pause();
    }

    papaya::UniqueFd report_;
    pid_t pid_ = -1;
};

TEST(LineRules, ClientKilledMidBurstLeavesWholeLinesOnly)
{
    ServerProcess server;
    Client observer = join(server.port());
    const std::string start = sync(observer, {&observer});
    const std::string tag = "k-" + harness::random_token(8);
    std::vector<std::string> lines;
    std::string burst;
    for (int i = 0; i < 20000; ++i) {
        lines.push_back(tag + " " + std::to_string(i) + " " +
                        std::string(100 + i % 50, static_cast<char>('a' + i % 26)));
        burst += lines.back() + "\n";
    }
    burst += tag + " partial " + std::string(3000, 'p'); // one big write ending mid-line

    BurstingChild child{server.port(), burst};
    const auto child_port = child.local_port();
    // Kill it while the server is still taking the burst in.
    const auto records = [&] {
        const std::string text = harness::read_file(server.log_path());
        return std::count(text.begin(), text.end(), '\n');
    };
    const auto before = records();
    ASSERT_TRUE(harness::poll_until([&] { return records() > before + 100; }, Deadline{10s}));
    child.kill();
    expect_server_closed(server.port(), child_port);

    const std::string end = sync(observer, {&observer});
    const auto appended = log_after(server.log_path(), start); // fails on a partial record
    ASSERT_FALSE(appended.empty());
    EXPECT_EQ(appended.back(), end);
    // The child's records: a prefix of its lines, each whole and unaltered.
    for (std::size_t i = 0; i + 1 < appended.size(); ++i) {
        ASSERT_LT(i, lines.size());
        ASSERT_EQ(appended[i], lines[i]) << "record " << i << " of the killed client";
    }
}

} // namespace
} // namespace papaya::integration
