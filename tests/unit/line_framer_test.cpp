#include "papaya/line_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace std::string_view_literals;
using papaya::LineFramer;
using Records = std::vector<std::string>;

namespace {

// Feeds @p chunks in order and collects every record they complete.
Records feed_all(LineFramer& framer, const std::vector<std::string_view>& chunks)
{
    Records records;
    for (const auto chunk : chunks) {
        for (auto& record : framer.feed(chunk)) records.push_back(std::move(record));
    }
    return records;
}

} // namespace

TEST(LineFramer, OneLine)
{
    LineFramer framer(4096);
    EXPECT_EQ(framer.feed("alice: hi\n"), Records{"alice: hi\n"});
    EXPECT_EQ(framer.pending(), 0U);
}

TEST(LineFramer, SeveralLinesInOneFeed)
{
    LineFramer framer(4096);
    EXPECT_EQ(framer.feed("a: 1\nb: 2\nc: 3\n"), (Records{"a: 1\n", "b: 2\n", "c: 3\n"}));
}

TEST(LineFramer, HoldsPartialLine)
{
    LineFramer framer(4096);
    EXPECT_EQ(framer.feed("alice: hal"), Records{});
    EXPECT_EQ(framer.pending(), 10U);
    EXPECT_EQ(framer.feed("lo\nbob"), Records{"alice: hallo\n"});
    EXPECT_EQ(framer.pending(), 3U);
}

TEST(LineFramer, SplitAtEveryByteBoundary)
{
    const std::string_view stream = "alice: hi\r\n\nbob: x\0y\n\r\ncarol: yo\nunfinished"sv;
    const Records expected{"alice: hi\n", "carol: yo\n"};
    for (std::size_t split = 0; split <= stream.size(); ++split) {
        LineFramer framer(4096);
        EXPECT_EQ(feed_all(framer, {stream.substr(0, split), stream.substr(split)}), expected) << "split at " << split;
        EXPECT_EQ(framer.pending(), 10U) << "split at " << split;
    }
}

TEST(LineFramer, OneByteAtATime)
{
    const std::string_view stream = "alice: hi\r\nbob: yo\n"sv;
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < stream.size(); ++i) bytes.push_back(stream.substr(i, 1));
    LineFramer framer(4096);
    EXPECT_EQ(feed_all(framer, bytes), (Records{"alice: hi\n", "bob: yo\n"}));
}

TEST(LineFramer, StripsTrailingCarriageReturn)
{
    LineFramer framer(4096);
    EXPECT_EQ(framer.feed("hi\r\n"), Records{"hi\n"});
}

TEST(LineFramer, StripsOnlyOneCarriageReturn)
{
    LineFramer framer(4096);
    EXPECT_EQ(framer.feed("hi\r\r\n"), Records{"hi\r\n"});
}

TEST(LineFramer, KeepsInnerCarriageReturn)
{
    LineFramer framer(4096);
    EXPECT_EQ(framer.feed("a\rb\n"), Records{"a\rb\n"});
}

TEST(LineFramer, SkipsEmptyLines)
{
    LineFramer framer(4096);
    EXPECT_EQ(framer.feed("\n\r\n\nx\n\n"), Records{"x\n"});
}

TEST(LineFramer, DropsLineWithNul)
{
    LineFramer framer(4096);
    EXPECT_EQ(framer.feed("a\0b\n\0\nc\n"sv), Records{"c\n"});
    EXPECT_FALSE(framer.overlong());
}

TEST(LineFramer, PassesOtherBytesUnchanged)
{
    LineFramer framer(4096);
    const std::string line = "\x01\x7f\xff\xc3\xa9 \t end";
    EXPECT_EQ(framer.feed(line + "\n"), Records{line + "\n"});
}

TEST(LineFramer, ExactlyMaxIsAccepted)
{
    LineFramer framer(5);
    EXPECT_EQ(framer.feed("abcde\n"), Records{"abcde\n"});
    EXPECT_FALSE(framer.overlong());
}

TEST(LineFramer, ExactlyMaxWithCarriageReturnIsAccepted)
{
    LineFramer framer(5);
    EXPECT_EQ(framer.feed("abcde\r"), Records{});
    EXPECT_FALSE(framer.overlong());
    EXPECT_EQ(framer.feed("\n"), Records{"abcde\n"});
}

TEST(LineFramer, MaxPlusOneIsOverlong)
{
    LineFramer framer(5);
    EXPECT_EQ(framer.feed("abcdef\n"), Records{});
    EXPECT_TRUE(framer.overlong());
}

TEST(LineFramer, MaxPlusOneWithCarriageReturnIsOverlong)
{
    LineFramer framer(5);
    EXPECT_EQ(framer.feed("abcdef\r\n"), Records{});
    EXPECT_TRUE(framer.overlong());
}

TEST(LineFramer, OverlongDetectedWithoutNewline)
{
    LineFramer framer(5);
    framer.feed("abcdef");
    EXPECT_TRUE(framer.overlong());
}

TEST(LineFramer, NeverBuffersMoreThanMaxPlusOne)
{
    LineFramer framer(100);
    const std::string chunk(7, 'x');
    for (int i = 0; i < 1000 && !framer.overlong(); ++i) {
        framer.feed(chunk);
        EXPECT_LE(framer.pending(), 101U);
    }
    EXPECT_TRUE(framer.overlong());
    EXPECT_EQ(framer.pending(), 0U);
}

TEST(LineFramer, NothingAfterOverlong)
{
    LineFramer framer(5);
    framer.feed("abcdefgh");
    EXPECT_EQ(framer.feed("\nok\n"), Records{});
    EXPECT_EQ(framer.feed("ok\n"), Records{});
    EXPECT_TRUE(framer.overlong());
}

TEST(LineFramer, LinesBeforeOverlongOneAreKept)
{
    LineFramer framer(5);
    EXPECT_EQ(framer.feed("ok\nabcdefgh\nlater\n"), Records{"ok\n"});
    EXPECT_TRUE(framer.overlong());
}
