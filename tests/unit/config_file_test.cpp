#include "papaya/config_file.hpp"

#include "thrown.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

using papaya::ConfigEntry;
using papaya::ConfigError;

namespace {

std::vector<ConfigEntry> parse(const std::string& text)
{
    std::istringstream in(text);
    return papaya::parse_config(in);
}

// The message of the ConfigError that parsing @p text throws.
std::string error_of(const std::string& text)
{
    return papaya::test::message_of<ConfigError>([&] { parse(text); });
}

} // namespace

TEST(ConfigFile, OriginalPortLine)
{
    const auto entries = parse("PORT 7722\n");
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0].option, "port");
    EXPECT_EQ(entries[0].value, "7722");
    EXPECT_EQ(entries[0].line, 1U);
}

TEST(ConfigFile, EmptyFileHasNoEntries) { EXPECT_TRUE(parse("").empty()); }

TEST(ConfigFile, NamesAreCaseInsensitive)
{
    const auto entries = parse("port 1\nPort 2\nPORT 3\n");
    ASSERT_EQ(entries.size(), 3U);
    for (const auto& entry : entries) EXPECT_EQ(entry.option, "port");
}

TEST(ConfigFile, UnderscoresBecomeDashes)
{
    const auto entries = parse("MAX_CLIENTS 4\nauth_timeout_ms 5\nKey_File k\n");
    ASSERT_EQ(entries.size(), 3U);
    EXPECT_EQ(entries[0].option, "max-clients");
    EXPECT_EQ(entries[1].option, "auth-timeout-ms");
    EXPECT_EQ(entries[2].option, "key-file");
}

TEST(ConfigFile, SkipsCommentsAndBlankLines)
{
    const auto entries = parse("# papayad settings\n\n   \n\t# indented comment\nPORT 1\n#PORT 2\n");
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0].value, "1");
    EXPECT_EQ(entries[0].line, 5U);
}

TEST(ConfigFile, CountsLinesForEveryEntry)
{
    const auto entries = parse("PORT 1\n\n# c\nLOG x\n");
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].line, 1U);
    EXPECT_EQ(entries[1].line, 4U);
}

TEST(ConfigFile, ValueKeepsInnerBlanks)
{
    const auto entries = parse("LOG /var/log/my  chat.log\n");
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0].value, "/var/log/my  chat.log");
}

TEST(ConfigFile, BlanksAroundValueAreRemoved)
{
    const auto entries = parse("PORT \t  7722 \t \r\n");
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0].value, "7722");
}

TEST(ConfigFile, HashInsideValueIsKept)
{
    const auto entries = parse("LOG chat#1.log\n");
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0].value, "chat#1.log");
}

TEST(ConfigFile, CrLfLines)
{
    const auto entries = parse("PORT 1\r\nBIND ::1\r\n");
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].value, "1");
    EXPECT_EQ(entries[1].value, "::1");
}

TEST(ConfigFile, LastLineWithoutNewline)
{
    const auto entries = parse("PORT 1\nHISTORY 9");
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[1].value, "9");
}

TEST(ConfigFile, MissingValueNamesTheLine)
{
    EXPECT_EQ(error_of("PORT 1\n# comment\nUSER\n"), "config line 3: USER has no value");
}

TEST(ConfigFile, BlanksAreNoValue) { EXPECT_EQ(error_of("USER \t \r\n"), "config line 1: USER has no value"); }
