#include <gtest/gtest.h>

#include <filesystem>

#include "papaya/process/temp_dir.hpp"
#include "recorded_path.hpp"

using namespace bench;
namespace fs = std::filesystem;

namespace {

// A scratch repository: a directory with a .git directory, removed with the test.
struct Scratch {
    papaya::process::TempDir dir{"papaya-bench-path"};
    fs::path repo = dir.path() / "repo";

    Scratch() { fs::create_directories(repo / ".git"); }
};

} // namespace

TEST(RecordedPath, RelativeToTheRepositoryRoot)
{
    Scratch s;
    fs::create_directories(s.repo / "tools/bench/results/echo");
    EXPECT_EQ(recorded_path(s.repo / "tools/bench/results/echo"), "tools/bench/results/echo");
    // The output directory may not exist yet, and may be spelt with a trailing slash or "..".
    EXPECT_EQ(recorded_path(s.repo / "build/compare-3"), "build/compare-3");
    EXPECT_EQ(recorded_path(s.repo / "tools/bench/results/echo/"), "tools/bench/results/echo");
    EXPECT_EQ(recorded_path(s.repo / "tools/../tools/bench/results/chat"), "tools/bench/results/chat");
    EXPECT_EQ(recorded_path(s.repo), ".");
    ASSERT_TRUE(repository_root(s.repo / "tools/bench"));
    EXPECT_EQ(*repository_root(s.repo / "tools/bench"), fs::canonical(s.repo));
}

TEST(RecordedPath, ThroughASymlinkToTheRepository)
{
    Scratch s;
    fs::create_directories(s.repo / "results");
    fs::create_directory_symlink(s.repo, s.dir.path() / "link");
    EXPECT_EQ(recorded_path(s.dir.path() / "link/results"), "results");
}

TEST(RecordedPath, WorktreeOrSubmoduleHasAGitFile)
{
    Scratch s;
    fs::create_directories(s.repo / "sub/out");
    s.dir.write("repo/sub/.git", "gitdir: ../.git/modules/sub\n");
    EXPECT_EQ(recorded_path(s.repo / "sub/out"), "out");
}

TEST(RecordedPath, OutsideAnyRepositoryNamesTheOutputDirectoryItself)
{
    papaya::process::TempDir dir{"papaya-bench-path"};
    if (repository_root(dir.path())) GTEST_SKIP() << dir.path() << " is inside a repository";
    EXPECT_EQ(recorded_path(dir.path() / "results"), ".");
    EXPECT_EQ(recorded_path(dir.path()), ".");
}
