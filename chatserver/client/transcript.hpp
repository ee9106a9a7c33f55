#pragma once
/// @file
/// @brief The message pane's model: the messages, wrapped for the current
/// width, and where the reader has scrolled to. No drawing here.

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "wrap.hpp"

namespace papaya::client {

/// Who a message is from, for how it is shown.
enum class MessageKind {
    own,    ///< A line that starts with "<our name>: ".
    other,  ///< Any other line from the server.
    notice, ///< Said by this program (help, errors, "disconnected"), never sent.
};

/// One message as shown.
struct Message {
    std::string text; ///< Safe to draw (display_text()).
    MessageKind kind = MessageKind::other;
    std::size_t name_length = 0; ///< Bytes of the leading "name:" (colon included), 0 when none.
    unsigned color = 0;          ///< A colour slot chosen from the name, for others' messages.
};

/// Number of colour slots name_color() picks from.
inline constexpr unsigned name_colors = 5;

/// A colour slot for @p name: the same name always gets the same colour.
unsigned name_color(std::string_view name) noexcept;

/// Classifies a line received from the server (raw bytes, without `\n`)
/// for a user called @p own_name.
Message make_message(std::string_view line, std::string_view own_name);

/// Indentation of a message's continuation rows, in columns.
inline constexpr std::size_t continuation_indent = 2;

/// The messages and the scroll-back position.
///
/// The position is counted in rows from the bottom: 0 follows new messages
/// as they arrive; above 0 the view stays where it is when messages arrive,
/// and they are counted as unseen until the reader is back at the bottom.
class Transcript {
public:
    /// One row of the pane.
    struct Row {
        const Message* message = nullptr; ///< The message the row belongs to.
        RowSpan span;                     ///< Its bytes of message->text.
        bool first = false;               ///< The message's first row (else: indented).
    };

    /// @param own_name our name, to recognise our own messages.
    /// @param capacity messages kept; the oldest are dropped beyond it.
    explicit Transcript(std::string own_name, std::size_t capacity = 10000);

    /// Adds a line received from the server (raw bytes, without `\n`).
    void add_line(std::string_view line);
    /// Adds a notice from this program.
    void add_notice(std::string_view text);
    /// Removes every message.
    void clear();

    /// Sets the pane's size; messages are re-wrapped when the width changes.
    void set_viewport(std::size_t width, std::size_t height);
    /// The rows to show now, top to bottom (fewer than the height when there are few).
    [[nodiscard]] std::vector<Row> visible_rows() const;

    /// Scrolls @p rows towards older messages (stops at the first row).
    void scroll_up(std::size_t rows);
    /// Scrolls @p rows towards newer messages (stops at the bottom).
    void scroll_down(std::size_t rows);
    /// One page up: the pane's height minus one row, so one row stays in view.
    void page_up();
    /// One page down.
    void page_down();
    /// Back to the bottom, following new messages.
    void scroll_to_end();

    /// Rows scrolled back from the bottom (0: following new messages).
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
    /// Messages that arrived while scrolled back.
    [[nodiscard]] std::size_t unseen() const noexcept { return unseen_; }
    /// Every message, oldest first.
    [[nodiscard]] const std::deque<Message>& messages() const noexcept { return messages_; }
    /// Rows of every message at the current width.
    [[nodiscard]] std::size_t total_rows() const noexcept { return total_rows_; }

private:
    void add(Message message);
    [[nodiscard]] std::size_t max_offset() const noexcept;

    std::string own_name_;
    std::size_t capacity_;
    std::deque<Message> messages_;
    std::deque<std::vector<RowSpan>> rows_; // per message, at width_
    std::size_t total_rows_ = 0;
    std::size_t width_ = 80;
    std::size_t height_ = 24;
    std::size_t offset_ = 0;
    std::size_t unseen_ = 0;
};

} // namespace papaya::client
