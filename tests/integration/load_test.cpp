// Load at the paper's largest point: 64 clients, every message delivered to
// every client. Besides proving that nothing is lost or repeated at that
// size, it prints how much CPU the whole service used, for a quick
// side-by-side of the servers (the measurement tool does it rigorously).
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <numeric>

#include "chat_helpers.hpp"
#include "multiplex.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

/// CPU time of the service's live processes (all of them live for the whole run).
unsigned long long service_cpu_ns(ServerProcess& server)
{
    const auto processes = live_processes(server);
    return std::accumulate(processes.begin(), processes.end(), 0ULL,
                           [](unsigned long long sum, const auto& p) { return sum + harness::cpu_time_ns(p.pid); });
}

TEST(Load, SixtyFourClientsEachReceiveEveryMessageOnce)
{
    constexpr std::size_t clients = 64;
    constexpr std::size_t messages = 100;
    ServerProcess server;
    std::vector<Participant> everyone;
    for (std::size_t c = 0; c < clients; ++c) everyone.emplace_back(join(server.port()));
    sync(everyone.front().client, [&] {
        std::vector<Client*> all;
        for (auto& p : everyone) all.push_back(&p.client);
        return all;
    }());

    std::vector<std::string> sent;
    for (std::size_t c = 0; c < clients; ++c) {
        for (std::size_t m = 0; m < messages; ++m) {
            sent.push_back(unique_line("c" + std::to_string(c) + "m" + std::to_string(m), 64));
            everyone[c].outgoing += sent.back() + "\n";
        }
    }
    const auto cpu_before = service_cpu_ns(server);
    const auto start = std::chrono::steady_clock::now();
    pump(everyone, std::vector<std::size_t>(clients, sent.size()), Deadline{60s});
    const auto wall = std::chrono::steady_clock::now() - start;
    const auto cpu_ns = service_cpu_ns(server) - cpu_before;

    for (std::size_t c = 0; c < clients; ++c) {
        std::map<std::string, int> seen;
        std::size_t begin = 0;
        const std::string& got = everyone[c].received;
        for (std::size_t end; (end = got.find('\n', begin)) != std::string::npos; begin = end + 1)
            ++seen[got.substr(begin, end - begin)];
        for (const auto& line : sent) {
            ASSERT_EQ(seen[line], 1) << "client " << c << " received this line " << seen[line]
                                     << " times instead of once: " << line;
        }
    }
    const double cpu_ms = static_cast<double>(cpu_ns) / 1e6;
    const double wall_ms = std::chrono::duration<double, std::milli>(wall).count();
    std::cout << "[ load     ] " << clients << " clients x " << messages << " messages: " << clients * sent.size()
              << " deliveries in " << wall_ms << " ms; service CPU " << cpu_ms << " ms ("
              << 1000.0 * cpu_ms / static_cast<double>(clients * sent.size()) << " us per delivery) over "
              << live_processes(server).size() << " processes\n";
    RecordProperty("service_cpu_ms", std::to_string(cpu_ms));
    RecordProperty("wall_ms", std::to_string(wall_ms));
}

} // namespace
} // namespace papaya::integration
