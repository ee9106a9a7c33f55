#include "chat_ui.hpp"

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>

#include "commands.hpp"
#include "input_line.hpp"
#include "papaya/syscall_error.hpp"
#include "screen.hpp"
#include "signal_pipe.hpp"
#include "status_line.hpp"
#include "transcript.hpp"
#include "utf8.hpp"

namespace papaya::client {

namespace {

/// Rows one notch of the mouse wheel scrolls.
constexpr std::size_t wheel_rows = 3;

/// Wake-ups with "readable" but no key in a row: the terminal is gone.
constexpr int max_empty_wakeups = 64;

class ChatUi {
public:
    ChatUi(const ClientOptions& options, std::unique_ptr<ServerConnection> connection)
        : options_(options),
          // Before the Screen: ncurses installs its own SIGWINCH handler only
          // where none is installed, and ours must wake poll().
          signals_({SIGWINCH, SIGINT, SIGTERM, SIGHUP}), screen_(options.mouse), transcript_(options.name),
          input_(options.max_line > options.name.size() + 2 ? options.max_line - options.name.size() - 2 : 0),
          connection_(std::move(connection)), server_(server_label(options.host, options.port))
    {
        transcript_.add_notice("connected to " + server_ + " as " + options_.name + "; /help lists the commands");
        check_connection();
    }

    int run()
    {
        draw();
        while (running_) {
            std::array<pollfd, 3> fds{{
                {signals_.fd(), POLLIN, 0},
                {STDIN_FILENO, POLLIN, 0},
                {connection_ ? connection_->fd() : -1, POLLIN, 0},
            }};
            // No timeout: nothing happens until something arrives.
            if (::poll(fds.data(), fds.size(), -1) < 0) {
                if (errno == EINTR) continue;
                throw_syscall_error("poll");
            }
            if (fds[0].revents != 0) on_signals();
            if (fds[1].revents != 0) on_terminal(fds[1].revents);
            if (fds[2].revents != 0 && connection_) on_server();
            if (running_) draw();
        }
        return 0;
    }

private:
    void on_signals()
    {
        for (const int signal : signals_.take()) {
            if (signal == SIGWINCH) {
                screen_.resize();
            } else {
                running_ = false;
            }
        }
    }

    void on_terminal(short revents)
    {
        int events = 0;
        while (running_) {
            const std::optional<InputEvent> event = screen_.next_event();
            if (!event) break;
            ++events;
            handle(*event);
        }
        // A closed terminal stays "readable" with nothing to read: leave
        // rather than spin.
        empty_wakeups_ = events > 0 ? 0 : empty_wakeups_ + 1;
        if ((revents & (POLLHUP | POLLERR | POLLNVAL)) != 0 || empty_wakeups_ > max_empty_wakeups) running_ = false;
    }

    void on_server()
    {
        for (const std::string& line : connection_->receive()) transcript_.add_line(line);
        check_connection();
    }

    /// Drops a connection the server has closed, saying why.
    void check_connection()
    {
        if (!connection_ || !connection_->closed()) return;
        transcript_.add_notice("disconnected: " + connection_->close_reason() +
                               ". Press r (on an empty line) or type /reconnect to connect again.");
        connection_.reset();
    }

    void reconnect()
    {
        if (connection_) {
            transcript_.add_notice("already connected to " + server_);
            return;
        }
        connecting_ = true;
        draw();
        connecting_ = false;
        try {
            // The key is read again: it may have been replaced meanwhile.
            connection_ = std::make_unique<ServerConnection>(options_.host, options_.port, load_client_key(options_),
                                                             options_.timeout);
            transcript_.add_notice("connected to " + server_ + " again; the history follows");
            transcript_.scroll_to_end();
            check_connection();
        } catch (const std::exception& error) {
            transcript_.add_notice(std::string("cannot reconnect: ") + error.what());
        }
    }

    void submit()
    {
        const Command command = parse_command(input_.text());
        switch (command.kind) {
        case CommandKind::nothing: input_.take(); return;
        case CommandKind::quit: running_ = false; return;
        case CommandKind::help:
            input_.take();
            for (const std::string& line : help_lines()) transcript_.add_notice(line);
            transcript_.scroll_to_end();
            return;
        case CommandKind::reconnect:
            input_.take();
            reconnect();
            return;
        case CommandKind::clear:
            input_.take();
            transcript_.clear();
            return;
        case CommandKind::unknown:
            input_.take();
            transcript_.add_notice("unknown command " + command.text +
                                   " (/help lists the commands; //text sends /text)");
            return;
        case CommandKind::message: break;
        }
        if (!connection_) {
            // Keep the text: it can be sent after reconnecting.
            transcript_.add_notice("not connected: press Enter again after r on an empty line or /reconnect");
            return;
        }
        input_.take();
        transcript_.scroll_to_end();
        // No local echo: the line shows when the server sends it back, in the
        // order every other client sees it.
        if (!connection_->send_line(options_.name + ": " + command.text)) check_connection();
    }

    void insert(char32_t character)
    {
        std::string bytes;
        append_utf8(bytes, character);
        if (!input_.insert(bytes)) {
            screen_.beep();
            if (!warned_long_) {
                transcript_.add_notice("the line is at its limit of " + std::to_string(input_.max_bytes()) +
                                       " bytes (the server's --max-line " + std::to_string(options_.max_line) +
                                       ", less your name)");
            }
            warned_long_ = true;
        }
    }

    void handle(const InputEvent& event)
    {
        switch (event.kind) {
        case InputEvent::Kind::escape: running_ = false; return;
        case InputEvent::Kind::wheel_up: transcript_.scroll_up(wheel_rows); return;
        case InputEvent::Kind::wheel_down: transcript_.scroll_down(wheel_rows); return;
        case InputEvent::Kind::ignored: return;
        case InputEvent::Kind::key: handle_key(event.key); return;
        case InputEvent::Kind::character: handle_character(event.character); return;
        }
    }

    void handle_key(Key key)
    {
        switch (key) {
        case Key::backspace: input_.backspace(); break;
        case Key::delete_char: input_.erase(); break;
        case Key::left: input_.left(); break;
        case Key::right: input_.right(); break;
        case Key::home: input_.home(); break;
        case Key::end: input_.end(); break;
        case Key::up: input_.history_up(); break;
        case Key::down: input_.history_down(); break;
        case Key::page_up: transcript_.page_up(); break;
        case Key::page_down: transcript_.page_down(); break;
        case Key::enter: submit(); break;
        case Key::resize: break; // ncurses' echo of our own resizeterm(): already done
        case Key::other: break;
        }
    }

    void handle_character(char32_t c)
    {
        switch (c) {
        case 1: input_.home(); return;    // Ctrl-A
        case 2: input_.left(); return;    // Ctrl-B
        case 4: running_ = false; return; // Ctrl-D
        case 5: input_.end(); return;     // Ctrl-E
        case 6: input_.right(); return;   // Ctrl-F
        case 8:
        case 127: input_.backspace(); return; // Backspace as a character
        case 9: insert(U' '); return;         // Tab
        case 10:
        case 13: submit(); return;               // Enter
        case 11: input_.kill_to_end(); return;   // Ctrl-K
        case 12: screen_.repaint(); return;      // Ctrl-L
        case 14: input_.history_down(); return;  // Ctrl-N
        case 16: input_.history_up(); return;    // Ctrl-P
        case 21: input_.kill_to_start(); return; // Ctrl-U
        case 23: input_.erase_word(); return;    // Ctrl-W
        default: break;
        }
        if (c == U'r' && !connection_ && input_.empty()) {
            reconnect();
            return;
        }
        if (char_width(c) >= 0) insert(c);
    }

    void draw()
    {
        transcript_.set_viewport(screen_.width(), screen_.pane_height());
        StatusInfo status;
        status.server = server_;
        status.name = options_.name;
        status.state = connecting_ ? LinkState::connecting
                                   : (connection_ ? LinkState::connected : LinkState::disconnected);
        status.scrolled = transcript_.offset() > 0;
        status.unseen = transcript_.unseen();
        const InputLine::Window window = input_.window(screen_.input_width());
        screen_.draw(transcript_.visible_rows(), status_text(status, screen_.width()), input_.text(), window);
    }

    const ClientOptions& options_;
    SignalPipe signals_;
    Screen screen_;
    Transcript transcript_;
    InputLine input_;
    std::unique_ptr<ServerConnection> connection_;
    std::string server_;
    bool running_ = true;
    bool connecting_ = false;
    bool warned_long_ = false;
    int empty_wakeups_ = 0;
};

} // namespace

int run_full_screen(const ClientOptions& options, std::unique_ptr<ServerConnection> connection)
{
    return ChatUi(options, std::move(connection)).run();
}

} // namespace papaya::client
