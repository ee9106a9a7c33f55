#pragma once
/// @file
/// @brief The shared 128-byte key and the key file that holds it: given code,
/// used by the server's main() and by the chat client alike.

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace papaya {

/// Length of the shared key, in bytes, on the wire and in the key file.
inline constexpr std::size_t key_size = 128;

/// The shared key.
using Key = std::array<char, key_size>;

/// A key file (or key text) that must not be used; what() says why and how to fix it.
class KeyFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The key in @p text: exactly 128 characters, optionally after `KEY ` (the
/// original papayaChat format).
/// @param text the key file's content, or the key itself.
/// @param source what holds the text, for the message, e.g. "PAPAYA_KEY".
/// @throws KeyFileError("<source> must hold exactly 128 characters, it holds N").
Key key_from_text(std::string_view text, std::string_view source);

/// Loads the key: the first line of @p path (up to `\n`, without one trailing
/// `\r`) is read by key_from_text().
/// @throws KeyFileError when the file is accessible by group or others (like
///         ssh: the message names the `chmod` that fixes it), empty, or its
///         first line is not a key; std::system_error("open key file PATH")
///         when it cannot be opened.
Key load_key_file(const std::string& path);

} // namespace papaya
