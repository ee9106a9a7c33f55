// papaya: the chat client. Full-screen in a terminal, line mode otherwise
// (or with --line, --tail, --send). See chatserver/client/README.md.
#include <unistd.h>

#include <clocale>
#include <exception>
#include <iostream>
#include <memory>

#include "chat_ui.hpp"
#include "connection.hpp"
#include "line_mode.hpp"
#include "options.hpp"

int main(int argc, char** argv)
{
    using namespace papaya::client;
    // Character widths (wcwidth) and ncurses' UTF-8 output follow the locale.
    std::setlocale(LC_ALL, "");
    const ParsedClientOptions parsed = parse_client_options(argc, argv, Environment::current(), std::cout, std::cerr);
    if (!parsed.options) return parsed.exit_code;
    const ClientOptions& options = *parsed.options;
    try {
        const std::optional<papaya::Key> key = load_client_key(options);
        if (options.line_mode || ::isatty(STDIN_FILENO) == 0 || ::isatty(STDOUT_FILENO) == 0) {
            return run_line_mode(options, key);
        }
        auto connection = std::make_unique<ServerConnection>(options.host, options.port, key, options.timeout);
        return run_full_screen(options, std::move(connection));
    } catch (const std::exception& error) {
        std::cerr << "papaya: " << error.what() << '\n';
        return 1;
    }
}
