#pragma once
/// @file
/// @brief Driving the full-screen client for real: a private tmux server
/// (its own socket, no user config) whose sessions run the client in a
/// pseudo-terminal of a fixed size; keys go in with send-keys, the screen
/// comes out with capture-pane.

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "papaya/harness/deadline.hpp"
#include "papaya/harness/temp_dir.hpp"

namespace papaya::client_tests {

/// A tmux server of our own, killed at destruction.
class Tmux {
public:
    /// The tmux program, or "" when it is not installed.
    static std::string program();

    /// Starts the server (with one idle session that keeps it alive) and
    /// makes dead panes stay, so their last screen can still be read.
    Tmux();
    ~Tmux();
    Tmux(const Tmux&) = delete;
    Tmux& operator=(const Tmux&) = delete;

    /// Starts @p argv (argv[0] absolute) in a new session @p name of
    /// @p columns x @p rows, with TERM=xterm-256color, LANG=C.UTF-8 and HOME=@p home only.
    void start(const std::string& name, const std::vector<std::string>& argv, const std::string& home, int columns = 80,
               int rows = 24);
    /// The visible screen of @p name, one string per row.
    [[nodiscard]] std::vector<std::string> screen(const std::string& name) const;
    /// The screen as one text (rows joined with `\n`).
    [[nodiscard]] std::string screen_text(const std::string& name) const;
    /// The screen with SGR escape sequences for colours and attributes.
    [[nodiscard]] std::string screen_with_attributes(const std::string& name) const;
    /// Sends tmux key names (Enter, PPage, C-d, Escape...).
    void keys(const std::string& name, const std::vector<std::string>& keys) const;
    /// Types @p text literally.
    void type(const std::string& name, const std::string& text) const;
    /// Resizes the session's window.
    void resize(const std::string& name, int columns, int rows) const;
    /// A tmux format expanded for the session's pane (e.g. "#{cursor_x}").
    [[nodiscard]] std::string format(const std::string& name, const std::string& format) const;
    /// The pid of the program in the pane.
    [[nodiscard]] pid_t pid(const std::string& name) const;

    /// Polls the screen until @p condition holds; fails with the screen at the deadline.
    void wait_screen(const std::string& name, const std::function<bool(const std::string&)>& condition,
                     std::string_view expecting, harness::Deadline deadline) const;
    /// Polls until the screen contains @p text; fails with the screen at the deadline.
    void wait_text(const std::string& name, std::string_view text, harness::Deadline deadline) const;

    /// Runs a tmux command on this server; fails the test when it fails.
    std::string run(std::vector<std::string> args) const;

private:
    harness::TempDir dir_{"papaya-tmux"};
    std::string program_;
    std::string socket_;
};

/// Quotes @p word for /bin/sh.
std::string shell_quote(std::string_view word);

} // namespace papaya::client_tests
