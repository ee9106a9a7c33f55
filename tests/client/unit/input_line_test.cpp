#include "input_line.hpp"

#include <gtest/gtest.h>

namespace papaya::client {
namespace {

const std::string e_acute = "\xC3\xA9";    // é, 2 bytes
const std::string kanji = "\xE6\x97\xA5";  // 日, 3 bytes, 2 columns
const std::string combining = "e\xCC\x81"; // e + U+0301

TEST(InputLine, InsertsAtTheCursor)
{
    InputLine line;
    line.insert("hllo");
    line.home();
    line.right();
    line.insert("e");
    EXPECT_EQ(line.text(), "hello");
    EXPECT_EQ(line.cursor(), 2u);
    line.end();
    line.insert(" " + kanji);
    EXPECT_EQ(line.text(), "hello " + kanji);
    EXPECT_EQ(line.cursor(), line.text().size());
}

TEST(InputLine, BackspaceRemovesAWholeUtf8Character)
{
    InputLine line;
    line.insert("a" + e_acute + kanji);
    line.backspace();
    EXPECT_EQ(line.text(), "a" + e_acute);
    line.backspace();
    EXPECT_EQ(line.text(), "a");
    line.backspace();
    line.backspace(); // at the start: nothing
    EXPECT_EQ(line.text(), "");
    EXPECT_EQ(line.cursor(), 0u);
}

TEST(InputLine, MovesByCharacterNotByte)
{
    InputLine line;
    line.insert(e_acute + kanji + "z");
    line.left();
    EXPECT_EQ(line.cursor(), 5u);
    line.left();
    EXPECT_EQ(line.cursor(), 2u);
    line.left();
    line.left(); // stays at 0
    EXPECT_EQ(line.cursor(), 0u);
    line.right();
    EXPECT_EQ(line.cursor(), 2u);
    line.end();
    line.right();
    EXPECT_EQ(line.cursor(), line.text().size());
}

TEST(InputLine, CursorSkipsCombiningCharacters)
{
    InputLine line;
    line.insert("a" + combining + "b");
    line.left();
    line.left();
    EXPECT_EQ(line.cursor(), 1u); // before the e, not between e and its accent
    line.right();
    EXPECT_EQ(line.cursor(), 4u);
    line.home();
    line.right();
    line.erase(); // deletes e with its accent
    EXPECT_EQ(line.text(), "ab");
}

TEST(InputLine, DeleteKillAndWordErase)
{
    InputLine line;
    line.insert("one two  three");
    line.erase_word();
    EXPECT_EQ(line.text(), "one two  ");
    line.erase_word();
    EXPECT_EQ(line.text(), "one ");
    line.insert("x y");
    line.home();
    line.right();
    line.kill_to_end();
    EXPECT_EQ(line.text(), "o");
    line.insert("ab");
    line.left();
    line.kill_to_start();
    EXPECT_EQ(line.text(), "b");
    EXPECT_EQ(line.cursor(), 0u);
    line.erase();
    EXPECT_TRUE(line.empty());
}

TEST(InputLine, RefusesTextBeyondItsLimit)
{
    InputLine line(5);
    EXPECT_TRUE(line.insert("abc"));
    EXPECT_FALSE(line.insert(kanji)); // 3 + 3 > 5: nothing inserted
    EXPECT_EQ(line.text(), "abc");
    EXPECT_TRUE(line.insert(e_acute));
    EXPECT_EQ(line.text().size(), 5u);
}

TEST(InputLine, TakeEmptiesAndRemembersHistory)
{
    InputLine line;
    line.insert("first");
    EXPECT_EQ(line.take(), "first");
    EXPECT_TRUE(line.empty());
    line.insert("second");
    line.take();
    line.insert("draft");
    line.history_up();
    EXPECT_EQ(line.text(), "second");
    line.history_up();
    EXPECT_EQ(line.text(), "first");
    line.history_up();
    EXPECT_EQ(line.text(), "first");
    line.history_down();
    line.history_down();
    EXPECT_EQ(line.text(), "draft");
    EXPECT_EQ(line.cursor(), 5u);
    line.history_down();
    EXPECT_EQ(line.text(), "draft");
}

TEST(InputLine, WindowKeepsTheCursorVisible)
{
    InputLine line;
    line.insert("0123456789abcdefghij"); // 20 columns in a 10-column field
    InputLine::Window w = line.window(10);
    EXPECT_EQ(w.cursor_column, 9u);
    EXPECT_EQ(line.text().substr(w.begin, w.end - w.begin), "bcdefghij");
    line.home();
    w = line.window(10);
    EXPECT_EQ(w.begin, 0u);
    EXPECT_EQ(w.cursor_column, 0u);
    EXPECT_EQ(w.end, 10u);
    // Moving right inside the field does not scroll.
    for (int i = 0; i < 5; ++i) line.right();
    w = line.window(10);
    EXPECT_EQ(w.begin, 0u);
    EXPECT_EQ(w.cursor_column, 5u);
}

TEST(InputLine, WindowMeasuresWideCharacters)
{
    InputLine line;
    for (int i = 0; i < 8; ++i) line.insert(kanji); // 16 columns
    const InputLine::Window w = line.window(10);
    EXPECT_LE(w.cursor_column, 9u);
    EXPECT_EQ(w.end, line.text().size());
    EXPECT_EQ((w.end - w.begin) / kanji.size() * 2, w.cursor_column); // whole characters, 2 columns each
}

TEST(InputLine, WindowShowsMoreWhenTextShrinks)
{
    InputLine line;
    line.insert("0123456789abcdefghij");
    line.window(10);
    for (int i = 0; i < 15; ++i) line.backspace();
    const InputLine::Window w = line.window(10);
    EXPECT_EQ(w.begin, 0u);
    EXPECT_EQ(w.cursor_column, 5u);
}

} // namespace
} // namespace papaya::client
