#pragma once
/// @file
/// @brief Splitting a client's byte stream into chat records (PROTOCOL.md, "Client to server").

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace papaya {

/// Splits a byte stream into lines at `\n`, however the bytes are segmented.
///
/// A trailing `\r` is stripped; empty lines are skipped; a line containing a
/// NUL byte is dropped. A line longer than the maximum makes the stream
/// unusable (the connection must be closed and nothing of it appended).
///
/// The result never depends on how the bytes were segmented. An overlong line
/// is noticed as soon as the bytes received so far can no longer make a valid
/// line, without waiting for its `\n`, so a client cannot make the framer
/// hold more than max_line + 1 bytes.
class LineFramer {
public:
    /// @param max_line the longest accepted line, in bytes, without its `\n`.
    explicit LineFramer(std::size_t max_line);

    /// Feeds bytes; returns the records they complete, each ending in `\n`,
    /// ready to append. Records completed before an overlong line are still
    /// returned; nothing more is returned once overlong() is true.
    std::vector<std::string> feed(std::string_view bytes);

    /// True once a line exceeded the maximum length.
    [[nodiscard]] bool overlong() const noexcept { return overlong_; }
    /// Bytes of an unfinished line held back (discarded at disconnect).
    [[nodiscard]] std::size_t pending() const noexcept { return partial_.size(); }

private:
    std::size_t max_line_;
    std::string partial_;
    bool overlong_ = false;
};

} // namespace papaya
