#include "transcript.hpp"

#include <algorithm>
#include <cstdint>

#include "utf8.hpp"

namespace papaya::client {

namespace {

/// Longest text before ": " taken as a name; longer, it is just text.
constexpr std::size_t longest_name = 32;

} // namespace

unsigned name_color(std::string_view name) noexcept
{
    // FNV-1a: stable across runs and machines, so a name keeps its colour.
    std::uint32_t hash = 2166136261u;
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 16777619u;
    }
    return hash % name_colors;
}

Message make_message(std::string_view line, std::string_view own_name)
{
    Message message;
    message.text = display_text(line);
    const std::string own_prefix = std::string(own_name) + ": ";
    if (!own_name.empty() && line.starts_with(own_prefix)) {
        message.kind = MessageKind::own;
        message.name_length = display_text(own_name).size() + 1;
        return message;
    }
    message.kind = MessageKind::other;
    const auto colon = message.text.find(": ");
    if (colon != std::string::npos && colon > 0 && colon <= longest_name) {
        message.name_length = colon + 1;
        message.color = name_color(std::string_view(message.text).substr(0, colon));
    }
    return message;
}

Transcript::Transcript(std::string own_name, std::size_t capacity)
    : own_name_(std::move(own_name)), capacity_(std::max<std::size_t>(capacity, 1))
{
}

void Transcript::add_line(std::string_view line) { add(make_message(line, own_name_)); }

void Transcript::add_notice(std::string_view text)
{
    Message message;
    message.text = "* " + display_text(text);
    message.kind = MessageKind::notice;
    add(std::move(message));
}

void Transcript::add(Message message)
{
    std::vector<RowSpan> rows = wrap_text(message.text, width_, continuation_indent);
    if (offset_ > 0) {
        // Scrolled back: keep the same rows in view and count what is new.
        offset_ += rows.size();
        ++unseen_;
    }
    total_rows_ += rows.size();
    messages_.push_back(std::move(message));
    rows_.push_back(std::move(rows));
    while (messages_.size() > capacity_) {
        total_rows_ -= rows_.front().size();
        messages_.pop_front();
        rows_.pop_front();
    }
    offset_ = std::min(offset_, max_offset());
}

void Transcript::clear()
{
    messages_.clear();
    rows_.clear();
    total_rows_ = 0;
    offset_ = 0;
    unseen_ = 0;
}

void Transcript::set_viewport(std::size_t width, std::size_t height)
{
    width = std::max<std::size_t>(width, 1);
    if (width != width_) {
        width_ = width;
        total_rows_ = 0;
        for (std::size_t i = 0; i < messages_.size(); ++i) {
            rows_[i] = wrap_text(messages_[i].text, width_, continuation_indent);
            total_rows_ += rows_[i].size();
        }
    }
    height_ = height;
    offset_ = std::min(offset_, max_offset());
}

std::size_t Transcript::max_offset() const noexcept { return total_rows_ > height_ ? total_rows_ - height_ : 0; }

std::vector<Transcript::Row> Transcript::visible_rows() const
{
    std::vector<Row> page;
    if (height_ == 0 || total_rows_ == 0) return page;
    const std::size_t bottom = total_rows_ - offset_; // one past the last row shown
    const std::size_t top = bottom > height_ ? bottom - height_ : 0;
    // Walk back from the newest message to the one holding row `top`.
    std::size_t index = messages_.size();
    std::size_t first_row = total_rows_;
    while (index > 0 && first_row > top) {
        --index;
        first_row -= rows_[index].size();
    }
    for (std::size_t row = first_row; index < messages_.size() && row < bottom; ++index) {
        const auto& spans = rows_[index];
        for (std::size_t i = 0; i < spans.size() && row < bottom; ++i, ++row) {
            if (row >= top) page.push_back({&messages_[index], spans[i], i == 0});
        }
    }
    return page;
}

void Transcript::scroll_up(std::size_t rows) { offset_ = std::min(offset_ + rows, max_offset()); }

void Transcript::scroll_down(std::size_t rows)
{
    offset_ = rows >= offset_ ? 0 : offset_ - rows;
    if (offset_ == 0) unseen_ = 0;
}

void Transcript::page_up() { scroll_up(height_ > 1 ? height_ - 1 : 1); }

void Transcript::page_down() { scroll_down(height_ > 1 ? height_ - 1 : 1); }

void Transcript::scroll_to_end()
{
    offset_ = 0;
    unseen_ = 0;
}

} // namespace papaya::client
