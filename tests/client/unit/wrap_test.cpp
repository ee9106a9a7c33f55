#include "wrap.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "utf8.hpp"

namespace papaya::client {
namespace {

std::vector<std::string> rows(std::string_view text, std::size_t width, std::size_t indent = 0)
{
    std::vector<std::string> out;
    for (const RowSpan& span : wrap_text(text, width, indent)) {
        out.emplace_back(text.substr(span.begin, span.end - span.begin));
    }
    return out;
}

using Rows = std::vector<std::string>;

TEST(Wrap, ShortTextIsOneRow)
{
    EXPECT_EQ(rows("hello", 80), Rows{"hello"});
    EXPECT_EQ(rows("", 80), Rows{""});
    EXPECT_EQ(rows("exactly10!", 10), Rows{"exactly10!"});
}

TEST(Wrap, BreaksBetweenWordsAndDropsTheBlank)
{
    EXPECT_EQ(rows("the quick brown fox", 10), (Rows{"the quick", "brown fox"}));
    EXPECT_EQ(rows("hello world", 5), (Rows{"hello", "world"}));
}

TEST(Wrap, CutsAWordLongerThanARow)
{
    EXPECT_EQ(rows("abcdefghij", 4), (Rows{"abcd", "efgh", "ij"}));
    EXPECT_EQ(rows("a abcdefghij", 4), (Rows{"a", "abcd", "efgh", "ij"}));
}

TEST(Wrap, ContinuationRowsLeaveRoomForTheIndent)
{
    EXPECT_EQ(rows("aaaa bbbb cccc dddd", 10, 2), (Rows{"aaaa bbbb", "cccc", "dddd"}));
    for (const std::string& row : rows(std::string(100, 'x'), 20, 2)) EXPECT_LE(row.size(), 20u);
    const Rows cut = rows(std::string(38, 'x'), 20, 2);
    EXPECT_EQ(cut.size(), 2u);
    EXPECT_EQ(cut[1].size(), 18u);
}

TEST(Wrap, CountsColumnsNotBytes)
{
    // 8 characters of 2 bytes each, 1 column each: fits 8 columns.
    const std::string accents = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
    EXPECT_EQ(rows(accents, 8), Rows{accents});
    EXPECT_EQ(rows(accents, 4).size(), 2u);
}

TEST(Wrap, NeverSplitsOrOverflowsWideCharacters)
{
    const std::string kanji = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"; // 日本語: 6 columns
    EXPECT_EQ(rows(kanji, 6), Rows{kanji});
    // 5 columns: two characters (4 columns) fit, the third would need columns 5 and 6.
    EXPECT_EQ(rows(kanji, 5), (Rows{"\xE6\x97\xA5\xE6\x9C\xAC", "\xE8\xAA\x9E"}));
    for (std::size_t width = 2; width < 12; ++width) {
        for (const std::string& row : rows("ab " + kanji + kanji + " c", width)) {
            EXPECT_LE(text_width(row), width) << row;
        }
    }
    // A row too narrow for the character still makes progress.
    EXPECT_EQ(rows(kanji, 1).size(), 3u);
}

TEST(Wrap, BreaksBetweenWideCharactersRatherThanAtAnEarlierBlank)
{
    const std::string ri = "\xE6\x97\xA5"; // 日
    // CJK text has no blanks: it may break before any wide character, so the
    // row is filled instead of leaving "zoe:" alone on it.
    EXPECT_EQ(rows("zoe: " + ri + ri + ri + ri + ri, 9, 2), (Rows{"zoe: " + ri + ri, ri + ri + ri}));
}

TEST(Wrap, KeepsCombiningCharactersWithTheirBase)
{
    const std::string e_acute = "e\xCC\x81"; // e + U+0301
    EXPECT_EQ(rows("abc" + e_acute + "x", 4), (Rows{"abc" + e_acute, "x"}));
}

TEST(Wrap, EveryByteIsInExactlyOneRowOrADroppedBlank)
{
    const std::string text = "one two  three \xE6\x97\xA5\xE6\x9C\xAC four-five-six-seven eight";
    for (std::size_t width = 1; width < 30; ++width) {
        std::size_t expected_begin = 0;
        for (const RowSpan& span : wrap_text(text, width, 2)) {
            ASSERT_GE(span.begin, expected_begin);
            // Only one blank may be skipped between rows.
            ASSERT_LE(span.begin - expected_begin, 1u) << "width " << width;
            expected_begin = span.end;
        }
        EXPECT_EQ(expected_begin, text.size()) << "width " << width;
    }
}

} // namespace
} // namespace papaya::client
