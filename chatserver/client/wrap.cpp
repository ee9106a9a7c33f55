#include "wrap.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace papaya::client {

std::vector<RowSpan> wrap_text(std::string_view text, std::size_t width, std::size_t indent)
{
    std::vector<RowSpan> rows;
    width = std::max<std::size_t>(width, 1);
    const std::size_t later_width = width > indent ? width - indent : 1;
    std::size_t pos = 0;
    do {
        const std::size_t available = rows.empty() ? width : later_width;
        const std::size_t start = pos;
        std::size_t columns = 0;
        // The last place this row may end, and where the next one then starts:
        // at a blank (dropped) or before a wide character (CJK text has no
        // blanks and may break between any two characters).
        std::size_t break_end = std::string_view::npos;
        std::size_t break_next = 0;
        std::size_t i = start;
        bool full = false;
        while (i < text.size()) {
            const Utf8Char c = decode_utf8(text.substr(i));
            const auto w = static_cast<std::size_t>(std::max(char_width(c.code), 0));
            if (i > start && c.code == U' ') {
                break_end = i, break_next = i + 1;
            } else if (i > start && w == 2) {
                break_end = i, break_next = i;
            }
            if (w > 0 && columns + w > available && i > start) {
                full = true;
                break;
            }
            columns += w;
            i += c.length;
        }
        if (!full) {
            rows.push_back({start, text.size()});
            pos = text.size();
        } else if (break_end != std::string_view::npos) {
            rows.push_back({start, break_end});
            pos = break_next;
        } else {
            rows.push_back({start, i});
            pos = i;
        }
    } while (pos < text.size());
    return rows;
}

} // namespace papaya::client
