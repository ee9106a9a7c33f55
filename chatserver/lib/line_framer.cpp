#include "papaya/line_framer.hpp"

namespace papaya {

LineFramer::LineFramer(std::size_t max_line) : max_line_(max_line) {}

std::vector<std::string> LineFramer::feed(std::string_view bytes)
{
    std::vector<std::string> records;
    while (!overlong_ && !bytes.empty()) {
        const auto newline = bytes.find('\n');
        if (newline == std::string_view::npos) {
            partial_.append(bytes);
            // Give up as soon as no ending can make the line short enough, so
            // a client that never sends `\n` cannot make us buffer without bound:
            // at most max_line bytes plus the `\r` that will be stripped.
            const bool too_long = partial_.size() > max_line_ &&
                                  (partial_.size() - max_line_ > 1 || partial_.back() != '\r');
            if (too_long) {
                overlong_ = true;
                partial_.clear();
                partial_.shrink_to_fit();
            }
            break;
        }

        partial_.append(bytes.substr(0, newline));
        bytes.remove_prefix(newline + 1);
        std::string line = std::move(partial_);
        partial_.clear();
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.size() > max_line_) {
            overlong_ = true;
            break;
        }
        if (line.empty() || line.find('\0') != std::string::npos) continue;
        line.push_back('\n');
        records.push_back(std::move(line));
    }
    return records;
}

} // namespace papaya
