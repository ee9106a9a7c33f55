#pragma once
/// @file
/// @brief Temporary directories and files that remove themselves, and test data
/// (random tokens, authentication keys, key files).

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace papaya::process {

/// A fresh directory (mode 0700) under $TMPDIR or /tmp, removed recursively on destruction.
class TempDir {
public:
    /// Creates `<tmp>/<prefix>-XXXXXX`.
    /// @throws std::system_error when mkdtemp fails.
    explicit TempDir(std::string_view prefix = "papaya-test");
    ~TempDir();

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// Takes over @p other's directory; @p other then removes nothing.
    TempDir(TempDir&& other) noexcept;
    /// Removes the current directory, then takes over @p other's.
    TempDir& operator=(TempDir&& other) noexcept;

    /// The directory.
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    /// `path() / name` (the file is not created).
    [[nodiscard]] std::filesystem::path file(std::string_view name) const { return path_ / name; }
    /// Creates or truncates `file(name)` with @p contents and exactly @p mode.
    /// @return the file's path.
    std::filesystem::path write(std::string_view name, std::string_view contents, mode_t mode = 0600) const;

private:
    void remove() noexcept;
    std::filesystem::path path_;
};

/// Creates or truncates @p path with @p contents and exactly @p mode (umask ignored).
/// @throws std::system_error naming the failing call.
void write_file(const std::filesystem::path& path, std::string_view contents, mode_t mode = 0644);

/// Appends @p contents to @p path (created with mode 0644 when missing) in one write.
void append_file(const std::filesystem::path& path, std::string_view contents);

/// The whole content of @p path; empty when it does not exist.
/// @throws std::system_error for other errors.
std::string read_file(const std::filesystem::path& path);

/// @p length random characters from [a-z0-9], for unique message contents.
std::string random_token(std::size_t length = 12);

/// A valid authentication key: 128 random characters from [A-Za-z0-9].
std::string random_key();

/// Length of a key in bytes (the protocol's fixed size).
inline constexpr std::size_t key_length = 128;

/// Writes @p key on one line to `dir/name` with @p mode (0600: valid for the server).
/// @return the key file's path.
std::filesystem::path write_key_file(const TempDir& dir, std::string_view key, mode_t mode = 0600,
                                     std::string_view name = "key");

} // namespace papaya::process
