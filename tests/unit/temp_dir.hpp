#pragma once
// Test helper: a temporary directory that removes itself.

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace papaya::test {

// A fresh directory under $TMPDIR, removed with everything in it when the
// object goes out of scope, so a failing test leaves nothing behind.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    // The path of @p name inside the directory (the file need not exist).
    [[nodiscard]] std::string file(std::string_view name) const;
    // Creates (or replaces) @p name with exactly @p contents and @p mode
    // (whatever the umask), and returns its path.
    std::string write(std::string_view name, std::string_view contents, mode_t mode = 0600) const;

private:
    std::filesystem::path path_;
};

// Reads a whole file; fails the test (via an exception) if it cannot.
std::string read_file(const std::string& path);

} // namespace papaya::test
