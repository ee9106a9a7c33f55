#include "papaya/grader/transfer.hpp"

#include <poll.h>

#include <cerrno>
#include <system_error>

#include <gtest/gtest.h>

#include "papaya/grader/bytes.hpp"
#include "papaya/grader/record.hpp"
#include "papaya/grader/settings.hpp"
#include "papaya/harness/deadline.hpp"

namespace papaya::grader {

using namespace std::chrono_literals;

namespace {

/// poll(2) on the client for @p events, up to @p timeout; the revents (0 on timeout).
short wait_for(const harness::Client& client, short events, std::chrono::milliseconds timeout)
{
    pollfd p{.fd = client.fd(), .events = events, .revents = 0};
    for (;;) {
        const int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
        if (n >= 0) return n == 0 ? 0 : p.revents;
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
    }
}

} // namespace

Transfer send_while_reading(harness::Client& client, std::string_view data, std::span<const std::size_t> chunk_sizes,
                            std::size_t expected_total, std::chrono::milliseconds within,
                            std::chrono::milliseconds quiet)
{
    Transfer out;
    client.set_nodelay(true);
    const harness::Deadline deadline{within};
    std::size_t chunk = 0;
    std::size_t sent_of_chunk = 0;
    auto last_progress = harness::Clock::now();
    auto consume = [&] {
        const std::size_t before = client.buffered().size();
        if (!client.receive_available()) out.closed = true;
        if (client.buffered().size() != before) last_progress = harness::Clock::now();
    };
    while (!data.empty() && !out.closed) {
        if (deadline.expired()) {
            out.timed_out = true;
            break;
        }
        const auto revents = wait_for(client, POLLIN | POLLOUT, std::min(deadline.remaining(), 100ms));
        if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0) consume();
        if ((revents & POLLOUT) != 0 && !out.closed) {
            const std::size_t size = chunk_sizes.empty() ? data.size() : chunk_sizes[chunk % chunk_sizes.size()];
            const std::size_t want = std::min(size - sent_of_chunk, data.size());
            const std::size_t n = client.send_available(data.substr(0, want));
            data.remove_prefix(n);
            sent_of_chunk += n;
            if (sent_of_chunk == size) {
                sent_of_chunk = 0;
                ++chunk;
            }
            if (n > 0) last_progress = harness::Clock::now();
        }
    }
    while (client.buffered().size() < expected_total && !out.closed) {
        if (deadline.expired()) {
            out.timed_out = true;
            break;
        }
        if (harness::Clock::now() - last_progress >= quiet) {
            out.stalled = true;
            break;
        }
        const auto revents = wait_for(client, POLLIN, std::min(deadline.remaining(), 50ms));
        if (revents != 0) consume();
    }
    out.received = client.buffered();
    return out;
}

std::string describe_end(const Transfer& transfer, std::chrono::milliseconds quiet)
{
    if (transfer.closed) return "the server closed the connection";
    if (transfer.stalled) return "then nothing more arrived for " + std::to_string(quiet.count()) + " ms";
    if (transfer.timed_out) return "the time allowed ran out";
    return "";
}

bool expect_echo(harness::Client& client, std::string_view data, std::span<const std::size_t> chunk_sizes,
                 std::string_view what)
{
    const auto quiet = settle(2s);
    std::string sizes;
    for (std::size_t i = 0; i < chunk_sizes.size() && i < 8; ++i)
        sizes += (i ? ", " : "") + std::to_string(chunk_sizes[i]);
    step("send " + std::string(what) + " (" + std::to_string(data.size()) + " bytes" +
         (chunk_sizes.size() > 1 ? ", in chunks of " + sizes + " bytes" : "") +
         ") while reading, and expect exactly the same bytes back");
    const Transfer transfer = send_while_reading(client, data, chunk_sizes, data.size(), settle(30s), quiet);
    const std::string difference = describe_difference(data, transfer.received);
    if (difference.empty()) {
        client.read_exact(data.size(), settle(1s)); // consume it: later reads start after this echo
        return true;
    }
    const std::string ended = describe_end(transfer, quiet);
    ADD_FAILURE() << "the echo of " << what << ": " << difference << (ended.empty() ? "" : "\n(" + ended + ")");
    return false;
}

} // namespace papaya::grader
