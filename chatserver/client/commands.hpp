#pragma once
/// @file
/// @brief What a line typed in the full-screen interface means: a message
/// to send, or one of the slash commands.

#include <string>
#include <string_view>
#include <vector>

namespace papaya::client {

/// The meaning of a typed line.
enum class CommandKind {
    nothing,   ///< Blank: nothing to do.
    message,   ///< Text to send (in Command::text).
    quit,      ///< /quit or /exit.
    help,      ///< /help.
    reconnect, ///< /reconnect.
    clear,     ///< /clear.
    unknown,   ///< A slash command we do not know (its name in Command::text).
};

/// A parsed line.
struct Command {
    CommandKind kind = CommandKind::nothing; ///< What to do.
    std::string text;                        ///< The message, or the unknown command.
};

/// Parses a typed line. `//text` sends `/text`; blanks around a command are ignored.
Command parse_command(std::string_view line);

/// The lines /help shows: every command and key.
std::vector<std::string> help_lines();

} // namespace papaya::client
