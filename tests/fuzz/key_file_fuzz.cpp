// Fuzz target: the key-file loader (load_key_file, given code), on any file
// contents: it returns the first line's 128 characters (after an optional
// `KEY `), or refuses the file with KeyFileError.
#include "fuzz_support.hpp"
#include "papaya/auth_privileges.hpp"
#include "papaya/key_file.hpp"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string path = papaya::fuzz::temp_dir() + "/key";
    papaya::fuzz::write_file(path, text);
    papaya::Key key{};
    try {
        key = papaya::load_key_file(path);
    } catch (const papaya::KeyFileError&) {
        return 0;
    }
    std::string_view line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("KEY ")) line.remove_prefix(4);
    if (line != std::string_view(key.data(), key.size())) std::abort();
    // The same key must also be accepted by the handshake's comparison.
    if (!papaya::keys_equal(key, line)) std::abort();
    return 0;
}
