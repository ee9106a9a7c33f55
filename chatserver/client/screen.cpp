#include "screen.hpp"

#include <curses.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

namespace papaya::client {

namespace {

constexpr short own_pair = 1;
constexpr short notice_pair = 2;
constexpr short first_name_pair = 3;
// Yellow is the notices' colour and green our own: the others get the rest.
constexpr std::array<short, name_colors> name_palette = {COLOR_CYAN, COLOR_MAGENTA, COLOR_BLUE, COLOR_RED, -1};

/// Attributes of a message's name and of its text.
std::pair<attr_t, attr_t> attributes(const Message& message, bool colors)
{
    const auto pair = [colors](short number) { return colors ? static_cast<attr_t>(COLOR_PAIR(number)) : attr_t{0}; };
    switch (message.kind) {
    case MessageKind::own: return {pair(own_pair) | A_BOLD, A_BOLD};
    case MessageKind::notice: return {pair(notice_pair), pair(notice_pair)};
    case MessageKind::other: break;
    }
    return {pair(static_cast<short>(first_name_pair + message.color)) | A_BOLD, A_NORMAL};
}

void put(std::string_view text, attr_t attribute)
{
    if (text.empty()) return;
    attrset(attribute);
    addnstr(text.data(), static_cast<int>(text.size()));
}

Key function_key(int code)
{
    switch (code) {
    case KEY_BACKSPACE: return Key::backspace;
    case KEY_DC: return Key::delete_char;
    case KEY_LEFT: return Key::left;
    case KEY_RIGHT: return Key::right;
    case KEY_HOME: return Key::home;
    case KEY_END: return Key::end;
    case KEY_UP: return Key::up;
    case KEY_DOWN: return Key::down;
    case KEY_PPAGE: return Key::page_up;
    case KEY_NPAGE: return Key::page_down;
    case KEY_ENTER: return Key::enter;
    case KEY_RESIZE: return Key::resize;
    default: return Key::other;
    }
}

} // namespace

Screen::Screen(bool mouse)
{
    // newterm, unlike initscr, reports an unusable terminal instead of exiting.
    terminal_ = ::newterm(nullptr, stdout, stdin);
    if (terminal_ == nullptr) {
        throw std::runtime_error("cannot use this terminal (TERM unknown?): run with --line for line mode");
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25); // Esc on its own quits: do not make the user wait for it
    curs_set(1);
    if (has_colors()) {
        colors_ = true;
        start_color();
        use_default_colors();
        init_pair(own_pair, COLOR_GREEN, -1);
        init_pair(notice_pair, COLOR_YELLOW, -1);
        for (std::size_t i = 0; i < name_palette.size(); ++i) {
            init_pair(static_cast<short>(first_name_pair + i), name_palette[i], -1);
        }
    }
    if (mouse) {
#ifdef BUTTON5_PRESSED
        mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, nullptr);
#else
        mousemask(BUTTON4_PRESSED, nullptr);
#endif
        mouseinterval(0);
    }
}

Screen::~Screen()
{
    endwin();
    delscreen(terminal_);
}

void Screen::resize()
{
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0) {
        resizeterm(size.ws_row, size.ws_col);
    }
    // Some terminals clear or reflow on resize: repaint every cell rather than a diff.
    clearok(curscr, TRUE);
}

void Screen::repaint() { clearok(curscr, TRUE); }

void Screen::beep() { ::beep(); }

std::size_t Screen::pane_height() const { return LINES > 2 ? static_cast<std::size_t>(LINES - 2) : 0; }

std::size_t Screen::width() const { return COLS > 0 ? static_cast<std::size_t>(COLS) : 1; }

std::size_t Screen::input_width() const { return width() > prompt_width + 1 ? width() - prompt_width - 1 : 1; }

void Screen::draw(const std::vector<Transcript::Row>& rows, std::string_view status, std::string_view input,
                  const InputLine::Window& window)
{
    erase();
    int y = 0;
    for (const Transcript::Row& row : rows) {
        const std::string_view text = row.message->text;
        const auto [name_attr, text_attr] = attributes(*row.message, colors_);
        move(y++, row.first ? 0 : static_cast<int>(continuation_indent));
        const std::size_t name_end = std::clamp(row.message->name_length, row.span.begin, row.span.end);
        put(text.substr(row.span.begin, name_end - row.span.begin), name_attr);
        put(text.substr(name_end, row.span.end - name_end), text_attr);
    }
    if (LINES >= 2) {
        attrset(A_REVERSE);
        mvhline(LINES - 2, 0, ' ', COLS);
        move(LINES - 2, 0);
        addnstr(status.data(), static_cast<int>(status.size()));
    }
    attrset(A_BOLD);
    mvaddstr(LINES - 1, 0, "> ");
    attrset(A_NORMAL);
    addnstr(input.data() + window.begin, static_cast<int>(window.end - window.begin));
    move(LINES - 1, static_cast<int>(prompt_width + window.cursor_column));
    refresh();
}

std::optional<InputEvent> Screen::next_event()
{
    wint_t code = 0;
    const int kind = get_wch(&code);
    if (kind == ERR) return std::nullopt;
    InputEvent event;
    if (kind == KEY_CODE_YES) {
        if (code != KEY_MOUSE) {
            event.kind = InputEvent::Kind::key;
            event.key = function_key(static_cast<int>(code));
            return event;
        }
        MEVENT mouse{};
        if (getmouse(&mouse) != OK) return event;
        if ((mouse.bstate & BUTTON4_PRESSED) != 0) event.kind = InputEvent::Kind::wheel_up;
#ifdef BUTTON5_PRESSED
        if ((mouse.bstate & BUTTON5_PRESSED) != 0) event.kind = InputEvent::Kind::wheel_down;
#endif
        return event;
    }
    if (code == 27) {
        // Esc then nothing is the Esc key; Esc then a key is Alt+key, which we do not use.
        wint_t next = 0;
        if (get_wch(&next) == ERR) event.kind = InputEvent::Kind::escape;
        return event;
    }
    event.kind = InputEvent::Kind::character;
    event.character = static_cast<char32_t>(code);
    return event;
}

} // namespace papaya::client
