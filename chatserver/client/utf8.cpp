#include "utf8.hpp"

#include <cwchar>

namespace papaya::client {

namespace {

constexpr char32_t replacement = 0xFFFD;

bool continuation(unsigned char byte) noexcept { return (byte & 0xC0) == 0x80; }

} // namespace

Utf8Char decode_utf8(std::string_view text) noexcept
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char first = byte(0);
    if (first < 0x80) return {first, 1, true};

    std::size_t length = 0;
    char32_t code = 0;
    char32_t minimum = 0; // below it the form is overlong
    if ((first & 0xE0) == 0xC0) {
        length = 2, code = first & 0x1F, minimum = 0x80;
    } else if ((first & 0xF0) == 0xE0) {
        length = 3, code = first & 0x0F, minimum = 0x800;
    } else if ((first & 0xF8) == 0xF0) {
        length = 4, code = first & 0x07, minimum = 0x10000;
    } else {
        return {replacement, 1, false};
    }
    if (text.size() < length) return {replacement, 1, false};
    for (std::size_t i = 1; i < length; ++i) {
        if (!continuation(byte(i))) return {replacement, 1, false};
        code = (code << 6) | (byte(i) & 0x3F);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {replacement, 1, false};
    return {code, length, true};
}

void append_utf8(std::string& out, char32_t code)
{
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = replacement;
    const auto put = [&](char32_t bits) { out.push_back(static_cast<char>(bits)); };
    if (code < 0x80) {
        put(code);
    } else if (code < 0x800) {
        put(0xC0 | (code >> 6)), put(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        put(0xE0 | (code >> 12)), put(0x80 | ((code >> 6) & 0x3F)), put(0x80 | (code & 0x3F));
    } else {
        put(0xF0 | (code >> 18)), put(0x80 | ((code >> 12) & 0x3F)), put(0x80 | ((code >> 6) & 0x3F)),
            put(0x80 | (code & 0x3F));
    }
}

int char_width(char32_t code) noexcept
{
    // glibc's wchar_t holds ISO 10646 code points whatever the locale, so the
    // code point can be asked directly; the locale decides what is printable.
    if (code < 0x20 || (code >= 0x7F && code < 0xA0)) return -1;
    return ::wcwidth(static_cast<wchar_t>(code));
}

std::size_t text_width(std::string_view text) noexcept
{
    std::size_t width = 0;
    while (!text.empty()) {
        const Utf8Char c = decode_utf8(text);
        const int w = char_width(c.code);
        width += w > 0 ? static_cast<std::size_t>(w) : 0;
        text.remove_prefix(c.length);
    }
    return width;
}

std::string display_text(std::string_view bytes)
{
    // U+FFFD where the locale shows it (UTF-8), a plain `?` elsewhere.
    const bool fancy = char_width(replacement) == 1;
    std::string out;
    out.reserve(bytes.size());
    while (!bytes.empty()) {
        const Utf8Char c = decode_utf8(bytes);
        bytes.remove_prefix(c.length);
        if (c.code == U'\t') {
            out.push_back(' ');
        } else if (c.valid && char_width(c.code) >= 0) {
            append_utf8(out, c.code);
        } else if (fancy) {
            append_utf8(out, replacement);
        } else {
            out.push_back('?');
        }
    }
    return out;
}

std::size_t previous_char(std::string_view text, std::size_t pos) noexcept
{
    if (pos == 0) return 0;
    --pos;
    while (pos > 0 && continuation(static_cast<unsigned char>(text[pos]))) --pos;
    return pos;
}

std::size_t next_char(std::string_view text, std::size_t pos) noexcept
{
    if (pos >= text.size()) return text.size();
    return pos + decode_utf8(text.substr(pos)).length;
}

} // namespace papaya::client
