#pragma once
/// @file
/// @brief The ncurses view: draws the message pane, the status line and the
/// input line from the models, and turns key presses into events. No chat
/// logic here.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "input_line.hpp"
#include "transcript.hpp"

struct screen; // ncurses' SCREEN, kept out of this header with its macros

namespace papaya::client {

/// The function keys the interface uses.
enum class Key {
    backspace,   ///< Backspace.
    delete_char, ///< Delete.
    left,        ///< Cursor left.
    right,       ///< Cursor right.
    home,        ///< Home.
    end,         ///< End.
    up,          ///< Cursor up.
    down,        ///< Cursor down.
    page_up,     ///< Page Up.
    page_down,   ///< Page Down.
    enter,       ///< Enter on the keypad.
    resize,      ///< The terminal changed size (reported by ncurses itself).
    other,       ///< Any other function key.
};

/// One thing the user did at the keyboard or with the mouse.
struct InputEvent {
    /// Its kind.
    enum class Kind {
        character,  ///< A character (printable or control), in `character`.
        key,        ///< A function key, in `key`.
        wheel_up,   ///< Mouse wheel towards older messages.
        wheel_down, ///< Mouse wheel towards newer messages.
        escape,     ///< Esc on its own.
        ignored,    ///< Something we do not use (a click, Alt-x).
    };
    Kind kind = Kind::ignored; ///< What happened.
    char32_t character = 0;    ///< The character, for Kind::character.
    Key key = Key::other;      ///< The key, for Kind::key.
};

/// The terminal in full-screen mode, from construction to destruction
/// (which gives the terminal back as it was).
class Screen {
public:
    /// Width of the prompt before the input text.
    static constexpr std::size_t prompt_width = 2;

    /// Takes over the terminal (stdin and stdout).
    /// @param mouse whether to ask for mouse wheel events.
    /// @throws std::runtime_error when the terminal cannot be used (unknown TERM).
    explicit Screen(bool mouse);
    ~Screen();
    Screen(const Screen&) = delete;
    Screen& operator=(const Screen&) = delete;

    /// Adopts the terminal's new size (after SIGWINCH).
    void resize();
    /// Repaints every cell on the next draw (Ctrl-L).
    void repaint();
    /// Rings the bell.
    void beep();

    /// Rows of the message pane.
    [[nodiscard]] std::size_t pane_height() const;
    /// Columns of the terminal.
    [[nodiscard]] std::size_t width() const;
    /// Columns for the input text (the prompt and the last column excluded).
    [[nodiscard]] std::size_t input_width() const;

    /// Draws everything and puts the cursor in the input line.
    /// @param rows the message pane's rows, top to bottom.
    /// @param status the status line's text.
    /// @param input the input line's text.
    /// @param window the part of @p input to show.
    void draw(const std::vector<Transcript::Row>& rows, std::string_view status, std::string_view input,
              const InputLine::Window& window);

    /// The next input event, or nothing when no input is pending (never blocks
    /// beyond ncurses' short wait for the rest of an escape sequence).
    std::optional<InputEvent> next_event();

private:
    ::screen* terminal_ = nullptr;
    bool colors_ = false;
};

} // namespace papaya::client
