#include "line_mode.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <iostream>
#include <string>
#include <vector>

#include "connection.hpp"
#include "echo_waiter.hpp"
#include "papaya/fd_io.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::client {

namespace {

using Clock = std::chrono::steady_clock;

/// A poll(2) timeout until @p until, rounded up, never negative.
int poll_ms(Clock::time_point until)
{
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

/// poll(2) that retries on EINTR (with the same timeout: good enough here).
int poll_retry(pollfd* fds, nfds_t count, int timeout)
{
    for (;;) {
        const int ready = ::poll(fds, count, timeout);
        if (ready >= 0) return ready;
        if (errno != EINTR) throw_syscall_error("poll");
    }
}

void print_line(std::string_view line)
{
    std::string bytes(line);
    bytes.push_back('\n');
    io::write_all(STDOUT_FILENO, bytes);
}

int fail(const std::string& message)
{
    std::cerr << "papaya: " << message << '\n';
    return 1;
}

std::string seconds_text(std::chrono::milliseconds timeout)
{
    const auto ms = timeout.count();
    std::string text = std::to_string(ms / 1000);
    if (ms % 1000 != 0) {
        std::string fraction = std::to_string(ms % 1000);
        fraction.insert(0, 3 - fraction.size(), '0');
        while (fraction.back() == '0') fraction.pop_back();
        text += "." + fraction;
    }
    return text + " s";
}

/// The history: every line that arrives before the server has been quiet for
/// options.settle, or before options.timeout has passed in all. The protocol
/// has no end-of-history marker, so this is the best a client can know.
std::vector<std::string> receive_history(ServerConnection& connection, const ClientOptions& options)
{
    std::vector<std::string> history;
    const auto deadline = Clock::now() + std::max(options.timeout, options.settle);
    auto quiet_until = Clock::now() + options.settle;
    while (!connection.closed()) {
        const auto until = std::min(quiet_until, deadline);
        if (Clock::now() >= until) break;
        pollfd p{.fd = connection.fd(), .events = POLLIN, .revents = 0};
        if (poll_retry(&p, 1, poll_ms(until)) == 0) continue;
        for (std::string& line : connection.receive()) history.push_back(std::move(line));
        quiet_until = Clock::now() + options.settle;
    }
    return history;
}

int tail(ServerConnection& connection, const ClientOptions& options, bool key_sent)
{
    const std::vector<std::string> history = receive_history(connection, options);
    if (!connection.received_anything() && !key_sent && !connection.closed()) {
        // A server with a key says nothing to a client without one until it
        // gives up on it: worth a hint, as the chat may just be empty.
        std::cerr << "papaya: nothing arrived: the chat is empty, or the server needs a key (--key-file or "
                     "PAPAYA_KEY)\n";
    }
    // A server that sends the history and then closes (stage 2) has done its job.
    if (connection.closed() && !connection.received_anything()) return fail(connection.close_reason());
    const std::size_t count = std::min(*options.tail, history.size());
    for (std::size_t i = history.size() - count; i < history.size(); ++i) print_line(history[i]);
    return 0;
}

int send_one(ServerConnection& connection, const ClientOptions& options)
{
    receive_history(connection, options);
    if (connection.closed()) return fail(connection.close_reason());
    const std::string line = options.name + ": " + *options.send;
    EchoWaiter waiter;
    if (!connection.send_line(line)) return fail(connection.close_reason());
    waiter.sent(line);
    const auto deadline = Clock::now() + options.timeout;
    while (!waiter.done()) {
        pollfd p{.fd = connection.fd(), .events = POLLIN, .revents = 0};
        if (poll_retry(&p, 1, poll_ms(deadline)) == 0) {
            return fail("the server did not send the line back within " + seconds_text(options.timeout) +
                        ": it may not be stored");
        }
        for (const std::string& received : connection.receive()) waiter.received(received);
        if (connection.closed() && !waiter.done()) return fail(connection.close_reason());
    }
    return 0;
}

/// Line mode proper: stdin to the server, the server to stdout.
class LineSession {
public:
    LineSession(ServerConnection& connection, const ClientOptions& options) : connection_(connection), options_(options)
    {
    }

    int run()
    {
        for (const std::string& line : receive_history(connection_, options_)) print_line(line);
        if (connection_.closed()) return fail(connection_.close_reason());
        std::optional<Clock::time_point> eof_deadline;
        for (;;) {
            if (!stdin_open_ && waiter_.done()) return refused_ > 0 ? 1 : 0;
            std::array<pollfd, 2> fds{{{connection_.fd(), POLLIN, 0}, {stdin_open_ ? STDIN_FILENO : -1, POLLIN, 0}}};
            const int ready = poll_retry(fds.data(), fds.size(), eof_deadline ? poll_ms(*eof_deadline) : -1);
            if (ready == 0) {
                return fail(std::to_string(waiter_.pending()) +
                            " line(s) sent did not come back from the server within " + seconds_text(options_.timeout) +
                            ": they may not be stored");
            }
            if (fds[0].revents != 0) {
                for (const std::string& line : connection_.receive()) {
                    print_line(line);
                    waiter_.received(line);
                }
                if (connection_.closed()) return fail(connection_.close_reason());
            }
            if (fds[1].revents != 0 && !read_stdin()) {
                stdin_open_ = false;
                eof_deadline = Clock::now() + options_.timeout;
            }
            if (connection_.closed()) return fail(connection_.close_reason());
        }
    }

private:
    /// Reads stdin and sends its complete lines; false at its end.
    bool read_stdin()
    {
        std::array<char, 16 * 1024> buffer{};
        const std::size_t n = io::read_some(STDIN_FILENO, buffer);
        if (n == 0) {
            // A last line without `\n` is still a line.
            if (!partial_.empty()) send(std::exchange(partial_, {}));
            return false;
        }
        partial_.append(buffer.data(), n);
        std::size_t start = 0;
        for (std::size_t end; (end = partial_.find('\n', start)) != std::string::npos; start = end + 1) {
            send(partial_.substr(start, end - start));
        }
        partial_.erase(0, start);
        return true;
    }

    void send(std::string text)
    {
        ++line_number_;
        while (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.empty()) return; // the server would ignore it
        const std::string where = "stdin line " + std::to_string(line_number_);
        if (text.find('\0') != std::string::npos) {
            ++refused_;
            fail(where + " holds a NUL byte, which the server drops: not sent");
            return;
        }
        const std::string line = options_.name + ": " + text;
        if (line.size() > options_.max_line) {
            ++refused_;
            fail(where + " is " + std::to_string(line.size()) + " bytes with the name, more than --max-line " +
                 std::to_string(options_.max_line) + " (the server would close the connection): not sent");
            return;
        }
        if (connection_.send_line(line)) waiter_.sent(line);
    }

    ServerConnection& connection_;
    const ClientOptions& options_;
    EchoWaiter waiter_;
    std::string partial_;
    bool stdin_open_ = true;
    std::size_t line_number_ = 0;
    std::size_t refused_ = 0;
};

} // namespace

int run_line_mode(const ClientOptions& options, const std::optional<Key>& key)
{
    ServerConnection connection(options.host, options.port, key, options.timeout);
    if (options.tail) return tail(connection, options, key.has_value());
    if (options.send) return send_one(connection, options);
    return LineSession(connection, options).run();
}

} // namespace papaya::client
