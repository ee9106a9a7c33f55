#include "input_line.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace papaya::client {

namespace {

bool zero_width_at(std::string_view text, std::size_t pos)
{
    return pos < text.size() && char_width(decode_utf8(text.substr(pos)).code) == 0;
}

bool blank_at(std::string_view text, std::size_t pos) { return pos < text.size() && text[pos] == ' '; }

} // namespace

bool InputLine::insert(std::string_view text)
{
    if (text_.size() + text.size() > max_bytes_) return false;
    text_.insert(cursor_, text);
    cursor_ += text.size();
    return true;
}

void InputLine::backspace()
{
    const std::size_t start = previous_char(text_, cursor_);
    text_.erase(start, cursor_ - start);
    cursor_ = start;
}

void InputLine::erase()
{
    if (cursor_ >= text_.size()) return;
    std::size_t stop = next_char(text_, cursor_);
    while (zero_width_at(text_, stop)) stop = next_char(text_, stop);
    text_.erase(cursor_, stop - cursor_);
}

void InputLine::left()
{
    cursor_ = previous_char(text_, cursor_);
    while (cursor_ > 0 && zero_width_at(text_, cursor_)) cursor_ = previous_char(text_, cursor_);
}

void InputLine::right()
{
    cursor_ = next_char(text_, cursor_);
    while (zero_width_at(text_, cursor_)) cursor_ = next_char(text_, cursor_);
}

void InputLine::kill_to_start()
{
    text_.erase(0, cursor_);
    cursor_ = 0;
}

void InputLine::kill_to_end() { text_.erase(cursor_); }

void InputLine::erase_word()
{
    std::size_t start = cursor_;
    while (start > 0 && blank_at(text_, start - 1)) --start;
    while (start > 0 && !blank_at(text_, start - 1)) start = previous_char(text_, start);
    text_.erase(start, cursor_ - start);
    cursor_ = start;
}

void InputLine::set_text(std::string text)
{
    text_ = std::move(text);
    cursor_ = text_.size();
}

std::string InputLine::take()
{
    std::string line = std::move(text_);
    text_.clear();
    cursor_ = 0;
    scroll_ = 0;
    if (line.find_first_not_of(' ') != std::string::npos && (history_.empty() || history_.back() != line)) {
        history_.push_back(line);
    }
    history_index_ = history_.size();
    draft_.clear();
    return line;
}

void InputLine::history_up()
{
    if (history_index_ == 0) return;
    if (history_index_ == history_.size()) draft_ = text_;
    set_text(history_[--history_index_]);
}

void InputLine::history_down()
{
    if (history_index_ >= history_.size()) return;
    ++history_index_;
    set_text(history_index_ == history_.size() ? draft_ : history_[history_index_]);
}

InputLine::Window InputLine::window(std::size_t width)
{
    width = std::max<std::size_t>(width, 1);
    const std::string_view text = text_;
    scroll_ = std::min(scroll_, cursor_);
    // The cursor needs a cell of its own, so it must sit before column `width`.
    while (text_width(text.substr(scroll_, cursor_ - scroll_)) >= width) scroll_ = next_char(text, scroll_);
    // Use free room on the right (after deleting) to show more on the left.
    while (scroll_ > 0 && text_width(text.substr(previous_char(text, scroll_))) < width) {
        scroll_ = previous_char(text, scroll_);
    }
    while (zero_width_at(text, scroll_) && scroll_ < cursor_) scroll_ = next_char(text, scroll_);

    Window window;
    window.begin = scroll_;
    window.cursor_column = text_width(text.substr(scroll_, cursor_ - scroll_));
    std::size_t columns = 0;
    std::size_t end = scroll_;
    while (end < text.size()) {
        const std::size_t next = next_char(text, end);
        const std::size_t w = text_width(text.substr(end, next - end));
        if (columns + w > width) break;
        columns += w;
        end = next;
    }
    window.end = end;
    return window;
}

} // namespace papaya::client
