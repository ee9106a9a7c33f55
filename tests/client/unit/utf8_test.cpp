#include "utf8.hpp"

#include <gtest/gtest.h>

namespace papaya::client {
namespace {

TEST(Utf8, DecodesOneToFourByteCharacters)
{
    EXPECT_EQ(decode_utf8("a").code, U'a');
    const Utf8Char e = decode_utf8("\xC3\xA9x"); // é
    EXPECT_EQ(e.code, U'\u00E9');
    EXPECT_EQ(e.length, 2u);
    EXPECT_TRUE(e.valid);
    EXPECT_EQ(decode_utf8("\xE6\x97\xA5").code, U'\u65E5'); // 日
    const Utf8Char smile = decode_utf8("\xF0\x9F\x98\x80");
    EXPECT_EQ(smile.code, U'\U0001F600');
    EXPECT_EQ(smile.length, 4u);
}

TEST(Utf8, RejectsInvalidSequencesOneByteAtATime)
{
    for (const std::string_view bad : {std::string_view("\x80"), std::string_view("\xC0\xAF"), // overlong '/'
                                       std::string_view("\xED\xA0\x80"),                       // surrogate
                                       std::string_view("\xF4\x90\x80\x80"),                   // > U+10FFFF
                                       std::string_view("\xE6\x97"),                           // truncated
                                       std::string_view("\xFF")}) {
        const Utf8Char c = decode_utf8(bad);
        EXPECT_FALSE(c.valid) << "for " << bad.size() << " bytes";
        EXPECT_EQ(c.length, 1u);
        EXPECT_EQ(c.code, U'\uFFFD');
    }
}

TEST(Utf8, EncodesWhatItDecodes)
{
    for (const char32_t code : {U'a', U'\u00E9', U'\u65E5', U'\U0001F600'}) {
        std::string bytes;
        append_utf8(bytes, code);
        EXPECT_EQ(decode_utf8(bytes).code, code);
        EXPECT_EQ(decode_utf8(bytes).length, bytes.size());
    }
    std::string surrogate;
    append_utf8(surrogate, 0xD800);
    EXPECT_EQ(surrogate, "\xEF\xBF\xBD");
}

TEST(Utf8, WidthsFollowTheTerminal)
{
    EXPECT_EQ(char_width(U'a'), 1);
    EXPECT_EQ(char_width(U'\u00E9'), 1);
    EXPECT_EQ(char_width(U'\u65E5'), 2);
    EXPECT_EQ(char_width(U'\u0301'), 0); // combining acute accent
    EXPECT_EQ(char_width(U'\x1B'), -1);
    EXPECT_EQ(char_width(U'\x85'), -1); // C1 control
    EXPECT_EQ(text_width("h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC"), 10u);
}

TEST(Utf8, DisplayTextDefusesControlsAndInvalidBytes)
{
    // An escape sequence from another user must not reach the terminal.
    EXPECT_EQ(display_text("ana: \x1B[2Jgotcha"), "ana: \xEF\xBF\xBD[2Jgotcha");
    EXPECT_EQ(display_text("a\tb\rc"), "a b\xEF\xBF\xBD"
                                       "c");
    EXPECT_EQ(display_text("bad \xFF\xC3 end"), "bad \xEF\xBF\xBD\xEF\xBF\xBD end");
    EXPECT_EQ(display_text("caf\xC3\xA9 \xE6\x97\xA5"), "caf\xC3\xA9 \xE6\x97\xA5");
}

TEST(Utf8, StepsOverWholeCharacters)
{
    const std::string text = "a\xC3\xA9\xE6\x97\xA5z";
    EXPECT_EQ(next_char(text, 0), 1u);
    EXPECT_EQ(next_char(text, 1), 3u);
    EXPECT_EQ(next_char(text, 3), 6u);
    EXPECT_EQ(next_char(text, 7), 7u);
    EXPECT_EQ(previous_char(text, 6), 3u);
    EXPECT_EQ(previous_char(text, 3), 1u);
    EXPECT_EQ(previous_char(text, 0), 0u);
}

} // namespace
} // namespace papaya::client
