#include "join_burst.hpp"

#include <algorithm>
#include <set>

namespace papaya::integration {

using harness::fail;

std::vector<std::string> BurstOutcome::problems() const
{
    std::vector<std::string> out;
    for (std::size_t c : own_line_lost)
        out.push_back("client " + std::to_string(c + 1) + " of " + std::to_string(clients) +
                      " never received its own line");
    out.insert(out.end(), violations.begin(), violations.end());
    return out;
}

BurstOutcome join_burst(std::uint16_t port, const std::filesystem::path& log, std::size_t clients, std::string_view key,
                        std::chrono::milliseconds timeout)
{
    const Deadline deadline{timeout};
    BurstOutcome outcome;
    outcome.clients = clients;
    std::vector<std::string> lines;
    std::vector<Client> connected;
    connected.reserve(clients);
    // Each line leaves right after its connect, in one send with the key: it
    // waits in the socket before the server has even accepted the connection.
    for (std::size_t c = 0; c < clients; ++c) {
        lines.push_back(unique_line("burst" + std::to_string(c + 1)));
        connected.emplace_back(port);
        connected.back().send(std::string(key) + lines.back() + "\n");
    }
    const auto in_log = [&] {
        const std::string text = harness::read_file(log);
        return std::all_of(lines.begin(), lines.end(),
                           [&](const std::string& line) { return text.find(line + "\n") != std::string::npos; });
    };
    if (!harness::poll_until(in_log, deadline))
        fail("the " + std::to_string(clients) + " lines of the burst were not all in the chat log within " +
             std::to_string(timeout.count()) + " ms");

    // After every burst line: what a client receives up to it is all it will
    // ever receive of the burst.
    const std::string marker = unique_line("burst-end");
    connected.front().send(marker + "\n");
    std::vector<std::vector<std::string>> received;
    for (std::size_t c = 0; c < clients; ++c) {
        try {
            received.push_back(read_until_line(connected[c], marker,
                                               std::max(deadline.remaining(), std::chrono::milliseconds{1})));
        } catch (const harness::HarnessFailure& failure) {
            fail("client " + std::to_string(c + 1) + " of the burst: " + failure.what());
        }
    }

    const auto log_records = log_lines(log);
    const auto end = std::find(log_records.begin(), log_records.end(), marker);
    if (end == log_records.end()) fail("the marker line " + harness::printable(marker, 80) + " is not in the chat log");
    const std::vector<std::string> before(log_records.begin(), end);
    const std::set<std::string> burst(lines.begin(), lines.end());
    for (std::size_t c = 0; c < clients; ++c) {
        const auto& got = received[c];
        outcome.deliveries += static_cast<std::size_t>(
            std::count_if(got.begin(), got.end(), [&](const std::string& line) { return burst.contains(line); }));
        if (std::find(got.begin(), got.end(), lines[c]) == got.end()) outcome.own_line_lost.push_back(c);
        // Section 6: the log from O on, so the last got.size() records before the marker.
        if (got.size() > before.size() ||
            !std::equal(got.begin(), got.end(), before.end() - static_cast<long>(got.size())))
            outcome.violations.push_back("client " + std::to_string(c + 1) + " received " + std::to_string(got.size()) +
                                         " lines before the marker that are not the log's last ones in order: a gap, "
                                         "a repetition or a record out of order");
    }
    return outcome;
}

} // namespace papaya::integration
