#include <gtest/gtest.h>

#include "codec.hpp"

using namespace bench;

TEST(Codec, RoundTripAtExactSize)
{
    const Stamp st{0xdeadbeef, Kind::message, 999, 123456, 987654321012345LL};
    for (std::size_t size : {64u, 100u, 4096u}) {
        std::string line;
        encode(st, size, line);
        ASSERT_EQ(line.size(), size);
        ASSERT_EQ(line.back(), '\n');
        EXPECT_EQ(line.find('\0'), std::string::npos);
        const auto back = decode(std::string_view(line).substr(0, line.size() - 1));
        ASSERT_TRUE(back);
        EXPECT_EQ(*back, st);
    }
}

TEST(Codec, WidestHeaderFitsTheMinimumSize)
{
    const Stamp st{0xffffffff, Kind::sync, 0xffffffff, 0xffffffff, INT64_MAX};
    std::string line;
    encode(st, 1, line); // raised to the minimum
    EXPECT_EQ(line.size(), min_message_size);
    EXPECT_EQ(decode(std::string_view(line).substr(0, line.size() - 1)), st);
}

TEST(Codec, ToleratesTrailingCarriageReturn)
{
    std::string line;
    encode({1, Kind::message, 2, 3, 4}, 64, line);
    line.back() = '\r';
    EXPECT_TRUE(decode(line));
}

TEST(Codec, RejectsForeignAndDamagedLines)
{
    std::string line;
    encode({1, Kind::message, 2, 3, 4}, 80, line);
    line.pop_back();
    EXPECT_FALSE(decode("ana: hi"));
    EXPECT_FALSE(decode(""));
    EXPECT_FALSE(decode(line.substr(0, 18))) << "cut inside the header";
    std::string nul = line;
    nul.back() = '\0'; // the original server's defect: last byte replaced by NUL
    EXPECT_FALSE(decode(nul));
    std::string kind = line;
    kind[12] = 'Q';
    EXPECT_FALSE(decode(kind));
}

TEST(LineSplitter, ReassemblesAnySegmentation)
{
    std::string stream;
    for (std::uint32_t i = 0; i < 20; ++i) encode({7, Kind::message, 1, i, i}, 64 + i, stream);
    for (std::size_t chunk : {1u, 3u, 64u, 1000u}) {
        LineSplitter split;
        std::vector<Stamp> got;
        for (std::size_t off = 0; off < stream.size(); off += chunk)
            split.feed(std::string_view(stream).substr(off, chunk),
                       [&](std::string_view l) { got.push_back(*decode(l)); });
        ASSERT_EQ(got.size(), 20u) << chunk;
        for (std::uint32_t i = 0; i < 20; ++i) EXPECT_EQ(got[i].seq, i);
        EXPECT_EQ(split.pending_bytes(), 0u);
    }
}

TEST(LineSplitter, KeepsAPartialLine)
{
    LineSplitter split;
    int n = 0;
    split.feed("abc\nde", [&](std::string_view l) {
        EXPECT_EQ(l, "abc");
        ++n;
    });
    EXPECT_EQ(split.pending_bytes(), 2u);
    split.feed("f\n", [&](std::string_view l) {
        EXPECT_EQ(l, "def");
        ++n;
    });
    EXPECT_EQ(n, 2);
}
