#include "commands.hpp"

#include "papaya/text.hpp"

namespace papaya::client {

Command parse_command(std::string_view line)
{
    const std::string_view name = trim_blanks(line);
    if (name.empty()) return {CommandKind::nothing, {}};
    if (name.starts_with("//")) {
        std::string text(line);
        text.erase(text.find('/'), 1);
        return {CommandKind::message, text};
    }
    if (!name.starts_with('/')) return {CommandKind::message, std::string(line)};
    if (name == "/quit" || name == "/exit") return {CommandKind::quit, {}};
    if (name == "/help") return {CommandKind::help, {}};
    if (name == "/reconnect") return {CommandKind::reconnect, {}};
    if (name == "/clear") return {CommandKind::clear, {}};
    return {CommandKind::unknown, std::string(name.substr(0, name.find(' ')))};
}

std::vector<std::string> help_lines()
{
    return {
        "Commands:",
        "  /help       this list",
        "  /quit       leave (also /exit, Ctrl-D, Esc, Ctrl-C)",
        "  /reconnect  connect again after the server went away (or r on an empty line)",
        "  /clear      empty the message pane (the server keeps the chat)",
        "  //text      send a line that starts with /",
        "Keys:",
        "  Enter send; PageUp/PageDown or the mouse wheel scroll back and forth",
        "  Up/Down recall sent lines; Left/Right/Home/End (Ctrl-A/Ctrl-E) move",
        "  Backspace/Delete, Ctrl-U (to start), Ctrl-K (to end), Ctrl-W (word) delete",
        "  Ctrl-L redraws the screen",
    };
}

} // namespace papaya::client
