#include "multiplex.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>

#include "papaya/syscall_error.hpp"

namespace papaya::integration {

namespace {

std::string progress(const std::vector<Participant>& everyone, const std::vector<std::size_t>& expected_lines)
{
    std::string text;
    for (std::size_t i = 0; i < everyone.size(); ++i) {
        text += "  client " + std::to_string(i) + ": sent " + std::to_string(everyone[i].sent) + "/" +
                std::to_string(everyone[i].outgoing.size()) + " bytes, received " + std::to_string(everyone[i].lines) +
                "/" + std::to_string(expected_lines[i]) + " lines\n";
    }
    return text;
}

} // namespace

void pump(std::vector<Participant>& everyone, const std::vector<std::size_t>& expected_lines, Deadline deadline)
{
    const auto done = [&] {
        for (std::size_t i = 0; i < everyone.size(); ++i) {
            if (everyone[i].lines < expected_lines[i] || everyone[i].sent < everyone[i].outgoing.size()) return false;
        }
        return true;
    };
    std::vector<pollfd> fds(everyone.size());
    while (!done()) {
        if (deadline.expired())
            harness::fail("the run did not complete in time:\n" + progress(everyone, expected_lines));
        for (std::size_t i = 0; i < everyone.size(); ++i) {
            const bool more = everyone[i].sent < everyone[i].outgoing.size();
            fds[i] = {everyone[i].client.fd(), static_cast<short>(POLLIN | (more ? POLLOUT : 0)), 0};
        }
        const int n = ::poll(fds.data(), fds.size(), std::min(deadline.poll_timeout_ms(), 1000));
        if (n < 0 && errno == EINTR) continue;
        papaya::check_syscall(n, "poll");
        for (std::size_t i = 0; i < everyone.size(); ++i) {
            Participant& p = everyone[i];
            if ((fds[i].revents & POLLOUT) != 0) {
                p.sent += p.client.send_available(std::string_view{p.outgoing}.substr(p.sent));
            }
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                const bool open = p.client.receive_available();
                const std::string lines = p.client.take_complete_lines();
                p.lines += static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n'));
                p.received += lines;
                if (!open) {
                    harness::fail("the server closed client " + std::to_string(i) + "'s connection during the run:\n" +
                                  progress(everyone, expected_lines));
                }
            }
        }
    }
}

} // namespace papaya::integration
