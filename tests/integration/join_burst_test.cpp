// The history offset (PROTOCOL.md section 4) is picked after the key and
// before the server reads the client's first line, so a client's own line
// always comes back (section 6), even when it joins in a burst of clients
// that each send a line at once. Picked later (by a SEND role that starts
// while RECV already appends), more than --history lines get in first and the
// client's own line falls before the offset.
#include <gtest/gtest.h>

#include "chat_helpers.hpp"
#include "join_burst.hpp"

namespace papaya::integration {
namespace {

constexpr std::size_t waves = 10;
constexpr std::size_t clients = 20;

/// --history 1: two lines appended before the offset is picked push a
/// joiner's own line out of the history.
void expect_every_own_line_back(std::uint16_t port, const std::filesystem::path& log, std::string_view key)
{
    for (std::size_t wave = 1; wave <= waves; ++wave) {
        const auto outcome = join_burst(port, log, clients, key);
        for (const auto& problem : outcome.problems()) ADD_FAILURE() << "wave " << wave << ": " << problem;
        if (!outcome.problems().empty()) return;
    }
}

TEST(JoinBurst, EveryClientReceivesItsOwnLine)
{
    ServerProcess server({"--history", "1"});
    expect_every_own_line_back(server.port(), server.log_path(), {});
}

TEST(JoinBurst, EveryClientReceivesItsOwnLineAfterTheKey)
{
    KeyedServer keyed({"--history", "1"});
    expect_every_own_line_back(keyed.server.port(), keyed.log, keyed.key);
}

} // namespace
} // namespace papaya::integration
