// Tests of the key file (given code: chatserver/lib/key_file.cpp), which the
// server's main() and the chat client load the key with.
#include "papaya/key_file.hpp"

#include "papaya/harness/temp_dir.hpp"
#include "thrown.hpp"

#include <gtest/gtest.h>

#include <string>
#include <system_error>

using papaya::Key;
using papaya::KeyFileError;
using papaya::load_key_file;
using papaya::harness::TempDir;

namespace {

// A 128-character key that is not all one character.
std::string key_text()
{
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string key;
    for (std::size_t i = 0; i < papaya::key_size; ++i) key.push_back(alphabet[(i * 7) % alphabet.size()]);
    return key;
}

std::string as_string(const Key& key) { return std::string(key.begin(), key.end()); }

// The message of the KeyFileError that loading @p path throws.
std::string error_of(const std::string& path)
{
    return papaya::test::message_of<KeyFileError>([&] { load_key_file(path); });
}

} // namespace

TEST(KeyFile, PlainKeyLine)
{
    const TempDir dir;
    EXPECT_EQ(as_string(load_key_file(dir.write("key", key_text() + "\n"))), key_text());
}

TEST(KeyFile, KeyWithoutNewline)
{
    const TempDir dir;
    EXPECT_EQ(as_string(load_key_file(dir.write("key", key_text()))), key_text());
}

TEST(KeyFile, OriginalKeyPrefix)
{
    const TempDir dir;
    EXPECT_EQ(as_string(load_key_file(dir.write("key", "KEY " + key_text() + "\n"))), key_text());
}

TEST(KeyFile, OnlyTheFirstLineCounts)
{
    const TempDir dir;
    EXPECT_EQ(as_string(load_key_file(dir.write("key", key_text() + "\n# rotated 2024-01-01\n"))), key_text());
}

TEST(KeyFile, OwnerReadOnlyIsAccepted)
{
    const TempDir dir;
    EXPECT_EQ(as_string(load_key_file(dir.write("key", key_text() + "\n", 0400))), key_text());
}

TEST(KeyFile, TooShortIsRefused)
{
    const TempDir dir;
    EXPECT_THROW(load_key_file(dir.write("key", key_text().substr(1) + "\n")), KeyFileError);
}

TEST(KeyFile, TooLongIsRefused)
{
    const TempDir dir;
    EXPECT_THROW(load_key_file(dir.write("key", key_text() + "X\n")), KeyFileError);
}

TEST(KeyFile, EmptyFileIsRefused)
{
    const TempDir dir;
    EXPECT_THROW(load_key_file(dir.write("key", "")), KeyFileError);
}

TEST(KeyFile, MissingFileIsAnOpenErrorNamingTheFile)
{
    const TempDir dir;
    const std::string path = dir.file("no-such-key");
    const auto error = papaya::test::thrown<std::system_error>([&] { load_key_file(path); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), std::errc::no_such_file_or_directory);
    EXPECT_EQ(std::string(error->what()).rfind("open key file " + path + ": ", 0), 0u) << error->what();
}

TEST(KeyFile, WorldReadableIsRefusedWithTheFix)
{
    const TempDir dir;
    const std::string message = error_of(dir.write("key", key_text() + "\n", 0644));
    EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
}

TEST(KeyFile, GroupReadableIsRefused)
{
    const TempDir dir;
    EXPECT_THROW(load_key_file(dir.write("key", key_text() + "\n", 0640)), KeyFileError);
}

TEST(KeyFile, GroupWritableIsRefused)
{
    const TempDir dir;
    EXPECT_THROW(load_key_file(dir.write("key", key_text() + "\n", 0620)), KeyFileError);
}

TEST(KeyFile, OthersWritableIsRefused)
{
    const TempDir dir;
    EXPECT_THROW(load_key_file(dir.write("key", key_text() + "\n", 0602)), KeyFileError);
}

TEST(KeyFromText, TakesTheKeyAfterAnOptionalPrefixAndNamesItsSourceOtherwise)
{
    EXPECT_EQ(as_string(papaya::key_from_text("KEY " + key_text(), "PAPAYA_KEY")), key_text());
    EXPECT_EQ(papaya::test::message_of<KeyFileError>([] { papaya::key_from_text(key_text().substr(2), "PAPAYA_KEY"); }),
              "PAPAYA_KEY must hold exactly 128 characters, it holds 126");
}
