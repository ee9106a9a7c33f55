// Tests of the constant-time key comparison (solutions/server/auth_privileges.cpp).
// The key file is given code: key_file_test.cpp.
#include "papaya/auth_privileges.hpp"

#include "papaya/harness/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using papaya::Key;

namespace {

std::string key_text()
{
    static const std::string key = papaya::harness::random_key();
    return key;
}

} // namespace

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
