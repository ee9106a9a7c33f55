#include <sys/stat.h>

#include <gtest/gtest.h>

#include "papaya/harness/temp_dir.hpp"

namespace papaya::harness {
namespace {

TEST(TempDir, RemovesItselfRecursively)
{
    std::filesystem::path kept;
    {
        const TempDir dir;
        kept = dir.path();
        std::filesystem::create_directories(dir.file("a/b"));
        write_file(dir.file("a/b/c"), "x");
        ASSERT_TRUE(std::filesystem::is_directory(kept));
    }
    EXPECT_FALSE(std::filesystem::exists(kept));
}

TEST(TempDir, MoveTransfersOwnership)
{
    TempDir first;
    const auto path = first.path();
    {
        const TempDir second = std::move(first);
        EXPECT_EQ(second.path(), path);
    }
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(KeyFile, IsOneLineOf128AlphanumericsWithMode0600)
{
    const TempDir dir;
    const std::string key = random_key();
    ASSERT_EQ(key.size(), key_length);
    EXPECT_EQ(key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
              std::string::npos);
    const auto path = write_key_file(dir, key);
    EXPECT_EQ(read_file(path), key + "\n");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(Files, WriteAppendRead)
{
    const TempDir dir;
    const auto path = dir.file("f");
    EXPECT_EQ(read_file(path), ""); // missing reads as empty
    write_file(path, "one\n");
    append_file(path, "two\n");
    EXPECT_EQ(read_file(path), "one\ntwo\n");
    EXPECT_NE(random_token(), random_token());
}

} // namespace
} // namespace papaya::harness
