#include <gtest/gtest.h>

#include "delivery_tracker.hpp"

using namespace bench;

namespace {
std::string line(std::uint32_t nonce, std::uint32_t sender, std::uint32_t seq, std::int64_t t)
{
    std::string s;
    encode({nonce, Kind::message, sender, seq, t}, 64, s);
    s.pop_back();
    return s;
}
} // namespace

TEST(DeliveryTracker, ChatCountsEveryRecipientOnce)
{
    DeliveryTracker t(3, Fanout::all, 9);
    t.set_window(0, 1'000'000);
    t.on_send(0, 0, 100, true);
    t.on_send(1, 0, 200, true);
    EXPECT_EQ(t.outstanding(), 6u);
    for (std::uint32_t r = 0; r < 3; ++r) {
        t.on_line(r, line(9, 0, 0, 100), 1100 + r);
        t.on_line(r, line(9, 1, 0, 200), 1200);
    }
    const auto c = t.counts();
    EXPECT_EQ(c.delivered, 6u);
    EXPECT_EQ(c.lost, 0u);
    EXPECT_EQ(c.duplicated, 0u);
    EXPECT_EQ(t.latency().count(), 6u);
    EXPECT_EQ(t.fanout_completion().count(), 2u);
    EXPECT_EQ(t.fanout_completion().max(), 1002u) << "completion = last recipient - intended time";
}

TEST(DeliveryTracker, DetectsLossDuplicateReorderAndForeign)
{
    DeliveryTracker t(2, Fanout::all, 5);
    for (std::uint32_t s = 0; s < 3; ++s) t.on_send(0, s, s, false);
    t.on_line(1, line(5, 0, 0, 0), 10);
    t.on_line(1, line(5, 0, 0, 0), 11); // duplicate
    t.on_line(1, line(5, 0, 2, 2), 12); // 1 skipped: out of order
    t.on_line(1, line(5, 0, 1, 1), 13); // the late one: not a duplicate
    t.on_line(1, line(6, 0, 1, 1), 14); // another run's nonce
    t.on_line(1, "ana: hello", 15);
    t.on_line(1, line(5, 0, 7, 7), 16); // never sent
    const auto c = t.counts();
    EXPECT_EQ(c.duplicated, 1u);
    EXPECT_EQ(c.out_of_order, 1u);
    EXPECT_EQ(c.foreign_lines, 2u);
    EXPECT_EQ(c.phantom, 1u);
    EXPECT_EQ(c.delivered, 3u);
    EXPECT_EQ(c.lost, 3u) << "recipient 0 got none of the 3";
}

TEST(DeliveryTracker, EchoExpectsOnlyTheSender)
{
    DeliveryTracker t(2, Fanout::self, 1);
    t.on_send(1, 0, 50, true);
    EXPECT_EQ(t.outstanding(), 1u);
    t.on_line(0, line(1, 1, 0, 50), 60); // another client's echo reaching us is wrong
    EXPECT_EQ(t.counts().phantom, 1u);
    t.on_line(1, line(1, 1, 0, 50), 70);
    EXPECT_EQ(t.outstanding(), 0u);
    EXPECT_EQ(t.latency().max(), 20u);
}

TEST(DeliveryTracker, AStampWithAWrongTimeIsCorruption)
{
    DeliveryTracker t(1, Fanout::self, 1);
    t.on_send(0, 0, 50, true);
    t.on_line(0, line(1, 0, 0, 51), 60);
    EXPECT_EQ(t.counts().phantom, 1u);
    EXPECT_EQ(t.counts().lost, 1u);
}

TEST(DeliveryTracker, AppendWorkloadTakesLinesOfThisRunAsHistory)
{
    // No barrier in the append workload: a session whose server side starts
    // late reads lines of this run as its history.
    DeliveryTracker t(2, Fanout::none, 1);
    t.on_send(0, 0, 50, true);
    t.on_line(1, line(1, 0, 0, 50), 60);
    EXPECT_EQ(t.counts().phantom, 0u);
    EXPECT_EQ(t.counts().delivered, 0u);
    EXPECT_EQ(t.outstanding(), 0u);
}
