// Tests of the key file and key comparison (solutions/server/auth_privileges.cpp).
#include "papaya/auth_privileges.hpp"

#include "papaya/harness/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

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

std::string as_string(const Key& key)
{
    return std::string(key.begin(), key.end());
}

// The message of the KeyFileError that loading @p path throws ("" if none).
std::string error_of(const std::string& path)
{
    try {
        load_key_file(path);
    } catch (const KeyFileError& error) {
        return error.what();
    }
    return "";
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

TEST(KeyFile, MissingFileIsRefused)
{
    const TempDir dir;
    EXPECT_THROW(load_key_file(dir.file("no-such-key")), KeyFileError);
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

TEST(KeysEqual, SameKey)
{
    Key key{};
    const std::string text = key_text();
    std::copy(text.begin(), text.end(), key.begin());
    EXPECT_TRUE(papaya::keys_equal(key, text));
}

TEST(KeysEqual, DifferentLastByte)
{
    Key key{};
    std::string text = key_text();
    std::copy(text.begin(), text.end(), key.begin());
    text.back() = text.back() == 'x' ? 'y' : 'x';
    EXPECT_FALSE(papaya::keys_equal(key, text));
}

TEST(KeysEqual, WrongLength)
{
    Key key{};
    const std::string text = key_text();
    std::copy(text.begin(), text.end(), key.begin());
    EXPECT_FALSE(papaya::keys_equal(key, text.substr(0, 127)));
    EXPECT_FALSE(papaya::keys_equal(key, text + "x"));
}
