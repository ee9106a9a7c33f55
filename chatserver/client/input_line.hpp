#pragma once
/// @file
/// @brief The input line's model: UTF-8 text, a cursor, editing keys, the
/// history of sent lines, and which part is visible in a narrow terminal.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace papaya::client {

/// An editable line of UTF-8 text. The cursor is a byte offset that is always
/// at a character boundary, and never between a character and the zero-width
/// (combining) characters that follow it, except after backspace() removed one.
class InputLine {
public:
    /// What part of the line fits a field of a given width.
    struct Window {
        std::size_t begin = 0;         ///< First byte shown.
        std::size_t end = 0;           ///< One past the last byte shown.
        std::size_t cursor_column = 0; ///< Column of the cursor within the field.
    };

    /// @param max_bytes the longest text accepted, in bytes.
    explicit InputLine(std::size_t max_bytes = 4096) : max_bytes_(max_bytes) {}

    /// Inserts UTF-8 @p text at the cursor and moves the cursor after it.
    /// @return false, inserting nothing, when the line would exceed max_bytes.
    bool insert(std::string_view text);
    /// Deletes the code point before the cursor (every byte of it).
    void backspace();
    /// Deletes the character at the cursor, with its combining characters.
    void erase();
    /// Moves one character left.
    void left();
    /// Moves one character right.
    void right();
    /// Moves to the start.
    void home() { cursor_ = 0; }
    /// Moves to the end.
    void end() { cursor_ = text_.size(); }
    /// Deletes from the start to the cursor (Ctrl-U).
    void kill_to_start();
    /// Deletes from the cursor to the end (Ctrl-K).
    void kill_to_end();
    /// Deletes the word before the cursor and the blanks after it (Ctrl-W).
    void erase_word();

    /// Returns the text and empties the line; a non-blank text joins the history.
    std::string take();
    /// Shows the previous history entry (the text being typed is kept for later).
    void history_up();
    /// Shows the next history entry, and finally the text that was being typed.
    void history_down();

    /// The part of the line to show in a field of @p width columns (at least 1):
    /// the cursor is always inside it. The window only scrolls when the cursor
    /// would leave it, so the text does not jump while typing.
    Window window(std::size_t width);

    /// The text.
    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    /// The cursor, as a byte offset into text().
    [[nodiscard]] std::size_t cursor() const noexcept { return cursor_; }
    /// The longest text accepted, in bytes.
    [[nodiscard]] std::size_t max_bytes() const noexcept { return max_bytes_; }
    /// True when there is no text.
    [[nodiscard]] bool empty() const noexcept { return text_.empty(); }

private:
    void set_text(std::string text);

    std::size_t max_bytes_;
    std::string text_;
    std::size_t cursor_ = 0;
    std::size_t scroll_ = 0; // first byte shown by window()
    std::vector<std::string> history_;
    std::size_t history_index_ = 0; // == history_.size(): the line being typed
    std::string draft_;             // the line being typed while browsing history
};

} // namespace papaya::client
