#pragma once
// Test helper: capturing what the code under test writes to file descriptor 2.

#include "papaya/unique_fd.hpp"

#include <string>

namespace papaya::test {

// Redirects file descriptor 2 into a pipe while it lives; take() restores it
// and returns what was written. For output small enough for a pipe (64 KiB).
class CapturedStderr {
public:
    CapturedStderr();
    ~CapturedStderr() { restore(); }
    CapturedStderr(const CapturedStderr&) = delete;
    CapturedStderr& operator=(const CapturedStderr&) = delete;

    // Restores fd 2 and returns everything written to it meanwhile.
    std::string take();

private:
    void restore() noexcept;
    UniqueFd saved_;    // The original fd 2.
    UniqueFd read_end_; // The pipe's read end.
};

} // namespace papaya::test
