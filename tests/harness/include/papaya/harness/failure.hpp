#pragma once
/// @file
/// @brief How the harness fails a test: by throwing, so that a helper deep in a
/// call stack ends the test at once (GoogleTest reports the exception's message
/// as the failure, and RAII cleanup still kills the server).

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace papaya::harness {

/// A harness expectation that did not hold; what() says what was expected and what was seen.
class HarnessFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Throws HarnessFailure with @p message.
[[noreturn]] void fail(const std::string& message);

/// @p bytes made readable for a failure message: C-style escapes for
/// non-printable bytes, cut to @p max_bytes with a note of the full length.
std::string printable(std::string_view bytes, std::size_t max_bytes = 300);

} // namespace papaya::harness
