#include <gtest/gtest.h>

#include <stdexcept>

#include "papaya/process/json.hpp"
#include "papaya/process/words.hpp"

namespace papaya::process {
namespace {

using Words = std::vector<std::string>;

TEST(SplitWords, SplitsOnBlanks)
{
    EXPECT_EQ(split_words("  /bin/goref   --stage\t6 \n"), (Words{"/bin/goref", "--stage", "6"}));
    EXPECT_EQ(split_words(""), Words{});
}

TEST(SplitWords, HonoursQuotesAndBackslashes)
{
    EXPECT_EQ(split_words(R"(a 'b c' "d \"e\"" f\ g '' x'y z'w)"), (Words{"a", "b c", "d \"e\"", "f g", "", "xy zw"}));
    EXPECT_EQ(split_words(R"('$HOME' "a\b" \$x)"), (Words{"$HOME", "a\\b", "$x"}));
}

TEST(SplitWords, RejectsAnUnterminatedQuoteOrTrailingBackslash)
{
    EXPECT_THROW(split_words("a 'b"), std::invalid_argument);
    EXPECT_THROW(split_words("a \"b"), std::invalid_argument);
    EXPECT_THROW(split_words("a\\"), std::invalid_argument);
}

TEST(ListContains, MatchesWholeItemsOnly)
{
    EXPECT_TRUE(list_contains("cpu,memory,io", ',', "memory"));
    EXPECT_TRUE(list_contains(std::string_view("A=1\0B=2", 7), '\0', "B=2"));
    EXPECT_FALSE(list_contains("cpuset,memory", ',', "cpu"));
    EXPECT_FALSE(list_contains("", ',', "cpu"));
}

TEST(JsonString, EscapesQuotesBackslashesAndControlBytes)
{
    EXPECT_EQ(json_string("plain"), "\"plain\"");
    EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(json_string("l1\nl2\r\t"), R"("l1\nl2\r\t")");
    EXPECT_EQ(json_string(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
    EXPECT_EQ(json_string("\xc3\xa9"), "\"\xc3\xa9\""); // UTF-8 passes unchanged
}

} // namespace
} // namespace papaya::process
