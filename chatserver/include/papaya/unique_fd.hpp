#pragma once
/// @file
/// @brief RAII ownership of one file descriptor.

#include <utility>

namespace papaya {

/// Owns one file descriptor and closes it when destroyed.
///
/// Move-only: exactly one owner closes a descriptor, exactly once. Use
/// release() to hand the descriptor to code that closes it itself.
class UniqueFd {
public:
    /// An empty owner (holds -1).
    UniqueFd() noexcept = default;
    /// Takes ownership of @p fd (may be -1).
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    ~UniqueFd() { reset(); }

    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    /// Takes the descriptor of @p other, leaving it empty.
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    /// Closes the current descriptor, then takes that of @p other.
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        if (this != &other) reset(other.release());
        return *this;
    }

    /// The descriptor, or -1 when empty.
    [[nodiscard]] int get() const noexcept { return fd_; }
    /// True when a descriptor is owned.
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives up ownership without closing; returns the descriptor.
    int release() noexcept { return std::exchange(fd_, -1); }
    /// Closes the owned descriptor (if any) and takes @p fd instead.
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

} // namespace papaya
