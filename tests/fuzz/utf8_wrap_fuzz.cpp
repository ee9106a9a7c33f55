// Fuzz target: the client's view of bytes from the server: the UTF-8
// decoder, display_text() (which must make any bytes safe to show) and the
// wrapper, which must cover the text with rows that fit the width.
#include "utf8.hpp"
#include "wrap.hpp"

#include <algorithm>
#include <clocale>
#include <cstdlib>
#include <fuzzer/FuzzedDataProvider.h>

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    // The client runs in the user's locale; widths need a UTF-8 one.
    if (std::setlocale(LC_ALL, "C.UTF-8") == nullptr) std::setlocale(LC_ALL, "");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace papaya::client;
    FuzzedDataProvider input(data, size);
    const auto width = input.ConsumeIntegralInRange<std::size_t>(1, 40);
    const auto indent = input.ConsumeIntegralInRange<std::size_t>(0, 45);
    const std::string bytes = input.ConsumeRemainingBytesAsString();

    // The decoder always moves forward, by at most 4 bytes, and only valid
    // characters re-encode to the same bytes.
    for (std::string_view rest = bytes; !rest.empty();) {
        const Utf8Char c = decode_utf8(rest);
        if (c.length == 0 || c.length > 4 || c.length > rest.size()) std::abort();
        if (c.valid) {
            std::string again;
            append_utf8(again, c.code);
            if (again != rest.substr(0, c.length)) std::abort();
        } else if (c.code != U'\uFFFD') {
            std::abort();
        }
        rest.remove_prefix(c.length);
    }

    // display_text gives valid UTF-8 of characters 0 to 2 columns wide.
    const std::string text = display_text(bytes);
    std::size_t columns = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const Utf8Char c = decode_utf8(std::string_view(text).substr(pos));
        if (!c.valid) std::abort();
        const int w = char_width(c.code);
        if (w < 0 || w > 2) std::abort();
        columns += static_cast<std::size_t>(w);
        const std::size_t next = next_char(text, pos);
        if (next <= pos || next > text.size() || previous_char(text, next) > pos) std::abort();
        pos += c.length;
    }
    if (columns != text_width(text)) std::abort();

    // The rows cover the text in order, each within its width (a character
    // wider than a row gets a row of its own).
    const auto rows = wrap_text(text, width, indent);
    if (rows.empty()) std::abort();
    std::size_t end = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const RowSpan row = rows[i];
        if (row.begin < end || row.end < row.begin || row.end > text.size()) std::abort();
        // Only a blank at a break may be skipped between rows.
        for (std::size_t b = end; b < row.begin; ++b)
            if (text[b] != ' ') std::abort();
        const std::size_t room = i == 0 ? width : std::max<std::size_t>(1, width > indent ? width - indent : 1);
        const std::size_t used = text_width(std::string_view(text).substr(row.begin, row.end - row.begin));
        if (used > room && used > 2) std::abort();
        end = row.end;
    }
    for (std::size_t b = end; b < text.size(); ++b)
        if (text[b] != ' ') std::abort();
    return 0;
}
