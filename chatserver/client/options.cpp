#include "options.hpp"

#include <CLI/CLI.hpp>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <ostream>
#include <utility>

#include "papaya/config_file.hpp"
#include "papaya/syscall_error.hpp"
#include "utf8.hpp"

namespace papaya::client {

namespace {

constexpr std::size_t longest_name = 32;

std::string env_or_empty(const char* name)
{
    const char* value = std::getenv(name);
    return value == nullptr ? std::string{} : std::string{value};
}

/// A plain decimal number in [min, max]; "" when @p text is not one.
std::optional<std::uint64_t> decimal(std::string_view text, std::uint64_t min, std::uint64_t max)
{
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
    return value;
}

/// Seconds as "5", "0.5" or "2.25" (at most millisecond precision), 0.001..3600.
std::optional<std::chrono::milliseconds> seconds(std::string_view text)
{
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 3)) return std::nullopt;
    const auto w = decimal(whole, 0, 3600);
    if (!w) return std::nullopt;
    std::string millis(fraction);
    millis.resize(3, '0');
    const auto f = decimal(millis, 0, 999);
    if (!f) return std::nullopt;
    const std::chrono::milliseconds value{*w * 1000 + *f};
    if (value.count() == 0 || value > std::chrono::hours{1}) return std::nullopt;
    return value;
}

std::optional<bool> boolean(std::string value)
{
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (value == "true" || value == "yes" || value == "1" || value == "on") return true;
    if (value == "false" || value == "no" || value == "0" || value == "off") return false;
    return std::nullopt;
}

/// A CLI11 check from a function that says what is wrong ("" when nothing).
CLI::Validator checked(std::function<std::string(const std::string&)> problem)
{
    return CLI::Validator([problem = std::move(problem)](std::string& input) { return problem(input); }, "");
}

std::string port_problem(const std::string& text)
{
    return decimal(text, 1, 65535) ? "" : "Value " + text + " is not a port number in 1..65535";
}

std::string host_problem(const std::string& text) { return text.empty() ? "the host must not be empty" : ""; }

std::string expand_home(const std::string& path, const Environment& env)
{
    if (path.starts_with("~/") && !env.home.empty()) return env.home + path.substr(1);
    return path;
}

/// The settings a config file may hold, applied to @p options unless the
/// command line gave them (@p given lists the options it gave).
void apply_config(const std::string& path, ClientOptions& options, const std::map<std::string, bool>& given,
                  const Environment& env)
{
    std::ifstream in(path);
    if (!in) throw CLI::ValidationError("--config", syscall_error("open", path).what());
    std::vector<ConfigEntry> entries;
    try {
        entries = parse_config(in);
    } catch (const ConfigError& error) {
        throw CLI::ValidationError(path, error.what());
    }
    std::map<std::string, std::size_t> seen;
    for (const ConfigEntry& entry : entries) {
        std::string name = entry.option;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return c == '-' ? '_' : static_cast<char>(std::toupper(c)); });
        const std::string where = path + " line " + std::to_string(entry.line) + ": " + name;
        const auto fail = [&](const std::string& problem) { throw CLI::ValidationError(where, problem); };
        if (const auto [first, fresh] = seen.emplace(entry.option, entry.line); !fresh) {
            fail("already set on line " + std::to_string(first->second));
        }
        const auto flag = given.find(entry.option == "mouse" ? "no-mouse" : entry.option);
        const bool from_command_line = flag != given.end() && flag->second;
        if (entry.option == "host") {
            if (!from_command_line) options.host = entry.value;
        } else if (entry.option == "port") {
            if (const std::string problem = port_problem(entry.value); !problem.empty()) fail(problem);
            if (!from_command_line) options.port = static_cast<std::uint16_t>(*decimal(entry.value, 1, 65535));
        } else if (entry.option == "name") {
            if (const std::string problem = name_problem(entry.value); !problem.empty()) fail(problem);
            if (!from_command_line) options.name = entry.value;
        } else if (entry.option == "key-file") {
            // The key file sits next to the config file more often than next to the user.
            std::filesystem::path key = expand_home(entry.value, env);
            if (key.is_relative()) key = std::filesystem::path(path).parent_path() / key;
            if (!from_command_line && !env.key) options.key_file = key.string();
        } else if (entry.option == "mouse") {
            const auto value = boolean(entry.value);
            if (!value) fail("must be yes, no, true, false, on, off, 1 or 0, not " + entry.value);
            if (!from_command_line) options.mouse = *value;
        } else {
            fail("unknown setting (known: HOST, PORT, KEY_FILE, NAME, MOUSE)");
        }
    }
}

bool file_exists(const std::string& path)
{
    std::error_code error;
    return std::filesystem::exists(path, error);
}

constexpr const char* footer = R"(
Without a terminal (stdin or stdout redirected), or with --line, papaya runs in
line mode: it prints the history, then sends every line of stdin as
"NAME: line" and prints every line it receives; at the end of stdin it waits
until its own lines have come back from the server (so they are stored) and
exits 0, or 1 after --timeout.

The protocol does not mark where the history ends. papaya takes as history
what arrives before the server has been quiet for --settle-ms (and before
--timeout): --tail N prints the last N of those lines and exits; --send TEXT
(and line mode) first lets the history arrive, then sends, so a line in the
history never counts as the echo of the line sent.

Config file (default $XDG_CONFIG_HOME/papaya/config, else
~/.config/papaya/config): one "NAME value" per line, # comments; names HOST,
PORT, KEY_FILE, NAME, MOUSE. The command line wins over the file. The key:
--key-file, else $PAPAYA_KEY (the 128 characters), else KEY_FILE.

Exit status: 0 success, 1 connection or server failure, 2 usage error.)";

} // namespace

Environment Environment::current()
{
    Environment env;
    env.xdg_config_home = env_or_empty("XDG_CONFIG_HOME");
    env.home = env_or_empty("HOME");
    env.user = env_or_empty("USER");
    if (env.user.empty()) {
        if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr) env.user = entry->pw_name;
    }
    if (std::string key = env_or_empty("PAPAYA_KEY"); !key.empty()) env.key = std::move(key);
    return env;
}

std::string default_config_path(const Environment& env)
{
    // The XDG base directory spec ignores a relative XDG_CONFIG_HOME.
    if (!env.xdg_config_home.empty() && env.xdg_config_home.front() == '/') {
        return env.xdg_config_home + "/papaya/config";
    }
    if (!env.home.empty()) return env.home + "/.config/papaya/config";
    return {};
}

std::string name_problem(std::string_view name)
{
    if (name.empty()) return "the name must not be empty";
    if (name.size() > longest_name) return "the name is longer than " + std::to_string(longest_name) + " bytes";
    if (name.front() == ' ' || name.back() == ' ') return "the name must not start or end with a blank";
    for (std::string_view rest = name; !rest.empty();) {
        const Utf8Char c = decode_utf8(rest);
        if (!c.valid) return "the name is not valid UTF-8";
        if (c.code < 0x20 || (c.code >= 0x7F && c.code < 0xA0)) return "the name holds a control character";
        if (c.code == U':') return "the name must not contain ':' (lines are \"name: text\")";
        rest.remove_prefix(c.length);
    }
    return {};
}

ParsedClientOptions parse_client_options(int argc, const char* const* argv, const Environment& env, std::ostream& out,
                                         std::ostream& err)
{
    ClientOptions options;
    std::string port, tail, timeout, settle, max_line;
    bool no_mouse = false;

    CLI::App app("papaya: the chat client of papaya-lab (talks to papayad and any server of "
                 "chatserver/PROTOCOL.md)",
                 "papaya");
    app.get_formatter()->column_width(30);
    app.footer(footer);
    auto* host_option = app.add_option("--host", options.host,
                                       "Server host name or IPv4/IPv6 address (default 127.0.0.1)")
                            ->type_name("HOST")
                            ->check(checked(host_problem));
    auto* port_option =
        app.add_option("--port", port, "Server port (default 7722)")->type_name("PORT")->check(checked(port_problem));
    auto* key_option = app.add_option("--key-file", options.key_file,
                                      "File holding the server's 128-character key on its first line; mode 0600 "
                                      "(default: $PAPAYA_KEY, else KEY_FILE of the config file, else no key)")
                           ->type_name("FILE");
    auto* name_option = app.add_option("--name", options.name, "Your name in the chat (default: $USER)")
                            ->type_name("NAME")
                            ->check(checked([](const std::string& text) { return name_problem(text); }));
    app.add_option("--config", options.config,
                   "Read settings from FILE (default: " + std::string("$XDG_CONFIG_HOME/papaya/config if it exists)"))
        ->type_name("FILE");
    app.add_flag("--line", options.line_mode, "Line mode even in a terminal");
    auto* tail_option = app.add_option("--tail", tail, "Print the last N lines of the history and exit (line mode)")
                            ->type_name("N")
                            ->check(checked([](const std::string& text) {
                                return decimal(text, 0, 1000000) ? ""
                                                                 : "Value " + text + " is not a number in 0..1000000";
                            }));
    auto* send_option = app.add_option("--send", options.send,
                                       "Send one line \"NAME: TEXT\", exit 0 once the server has sent it back "
                                       "(it is stored), 1 after --timeout")
                            ->type_name("TEXT")
                            ->check(checked([](const std::string& text) -> std::string {
                                if (text.empty()) return "the text must not be empty";
                                if (text.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
                                    return "the text must be one line (no newline, carriage return or NUL)";
                                }
                                return {};
                            }));
    tail_option->excludes(send_option);
    app.add_option("--timeout", timeout,
                   "Seconds to wait for connecting and for sent lines to come back (default 5; e.g. 0.5)")
        ->type_name("SECONDS")
        ->check(checked([](const std::string& text) {
            return seconds(text) ? "" : "Value " + text + " is not a number of seconds in 0.001..3600";
        }));
    app.add_option("--settle-ms", settle, "Milliseconds of quiet from the server that end the history (default 500)")
        ->type_name("MS")
        ->check(checked([](const std::string& text) {
            return decimal(text, 1, 60000) ? "" : "Value " + text + " is not a number in 1..60000";
        }));
    auto* mouse_option = app.add_flag("--no-mouse", no_mouse,
                                      "Leave the mouse to the terminal (text selection) instead of scrolling with "
                                      "the wheel");
    app.add_option("--max-line", max_line,
                   "Longest line to send, in bytes, as the server's --max-line (default 4096); longer lines are "
                   "refused here, since the server would close the connection")
        ->type_name("N")
        ->check(checked([](const std::string& text) {
            return decimal(text, 1, 1048576) ? "" : "Value " + text + " is not a number in 1..1048576";
        }));

    try {
        app.parse(argc, argv);
        if (!port.empty()) options.port = static_cast<std::uint16_t>(*decimal(port, 1, 65535));
        if (!tail.empty()) options.tail = static_cast<std::size_t>(*decimal(tail, 0, 1000000));
        if (!timeout.empty()) options.timeout = *seconds(timeout);
        if (!settle.empty()) options.settle = std::chrono::milliseconds{*decimal(settle, 1, 60000)};
        if (!max_line.empty()) options.max_line = static_cast<std::size_t>(*decimal(max_line, 1, 1048576));
        options.mouse = !no_mouse;

        const std::map<std::string, bool> given = {
            {"host", host_option->count() > 0},      {"port", port_option->count() > 0},
            {"key-file", key_option->count() > 0},   {"name", name_option->count() > 0},
            {"no-mouse", mouse_option->count() > 0},
        };
        if (!options.config.empty()) {
            apply_config(options.config, options, given, env);
        } else if (const std::string path = default_config_path(env); !path.empty() && file_exists(path)) {
            options.config = path;
            apply_config(path, options, given, env);
        }
        if (key_option->count() == 0 && env.key) {
            options.key_file.clear();
            options.key_text = env.key;
        }
        if (options.name.empty()) options.name = env.user;
        if (options.name.empty()) throw CLI::ValidationError("--name", "no name: set $USER or give --name");
        if (const std::string problem = name_problem(options.name); !problem.empty()) {
            throw CLI::ValidationError("--name", problem + " (it came from $USER or the config file)");
        }
        if (options.send && options.name.size() + 2 + options.send->size() > options.max_line) {
            throw CLI::ValidationError("--send", "the line is longer than --max-line " +
                                                     std::to_string(options.max_line) + " bytes");
        }
        if (options.tail || options.send) options.line_mode = true;
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error, out, err);
        return ParsedClientOptions{std::nullopt, code == 0 ? 0 : 2};
    }
    return ParsedClientOptions{std::move(options), 0};
}

std::optional<Key> load_client_key(const ClientOptions& options)
{
    if (options.key_text) {
        std::string_view text = *options.key_text;
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
        return key_from_text(text, "PAPAYA_KEY");
    }
    if (!options.key_file.empty()) return load_key_file(options.key_file);
    return std::nullopt;
}

} // namespace papaya::client
