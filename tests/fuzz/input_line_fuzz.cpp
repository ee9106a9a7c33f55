// Fuzz target: the client's input line, driven by a script of editing keys
// and pasted text: the cursor stays on a character boundary, the text stays
// valid UTF-8 within max_bytes, and the visible window holds the cursor.
#include "input_line.hpp"
#include "utf8.hpp"

#include <clocale>
#include <cstdlib>
#include <fuzzer/FuzzedDataProvider.h>

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    if (std::setlocale(LC_ALL, "C.UTF-8") == nullptr) std::setlocale(LC_ALL, "");
    return 0;
}

namespace {

bool valid_utf8(std::string_view text)
{
    for (std::size_t pos = 0; pos < text.size();) {
        const auto c = papaya::client::decode_utf8(text.substr(pos));
        if (!c.valid) return false;
        pos += c.length;
    }
    return true;
}

bool on_boundary(std::string_view text, std::size_t cursor)
{
    std::size_t pos = 0;
    while (pos < cursor) pos += papaya::client::decode_utf8(text.substr(pos)).length;
    return pos == cursor;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace papaya::client;
    FuzzedDataProvider input(data, size);
    InputLine line(input.ConsumeIntegralInRange<std::size_t>(1, 64));
    while (input.remaining_bytes() > 0) {
        switch (input.ConsumeIntegralInRange<int>(0, 12)) {
        case 0: {
            // Typed or pasted text reaches the line as display_text() made it.
            const std::string text = display_text(input.ConsumeRandomLengthString(16));
            const bool fits = line.text().size() + text.size() <= line.max_bytes();
            if (line.insert(text) != fits) std::abort();
            break;
        }
        case 1: line.backspace(); break;
        case 2: line.erase(); break;
        case 3: line.left(); break;
        case 4: line.right(); break;
        case 5: line.home(); break;
        case 6: line.end(); break;
        case 7: line.kill_to_start(); break;
        case 8: line.kill_to_end(); break;
        case 9: line.erase_word(); break;
        case 10: (void)line.take(); break;
        case 11: line.history_up(); break;
        default: line.history_down(); break;
        }
        if (line.cursor() > line.text().size() || line.text().size() > line.max_bytes()) std::abort();
        if (!valid_utf8(line.text()) || !on_boundary(line.text(), line.cursor())) std::abort();
        const auto width = input.ConsumeIntegralInRange<std::size_t>(1, 20);
        const auto window = line.window(width);
        if (window.begin > line.cursor() || window.end < line.cursor() || window.end > line.text().size() ||
            window.cursor_column >= width)
            std::abort();
    }
    return 0;
}
