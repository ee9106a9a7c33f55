#include "papaya/server_options.hpp"

#include "papaya/config_file.hpp"
#include "papaya/stage.hpp"
#include "papaya/stages.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fcntl.h>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <utility>
#include <vector>

namespace papaya {

namespace {

std::string to_lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

/// `max-clients` is written `MAX_CLIENTS` in a config file.
std::string config_name(const std::string& option)
{
    std::string name = option;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return c == '-' ? '_' : static_cast<char>(std::toupper(c)); });
    return name;
}

/// The config file's boolean spellings, as CLI11 flag values.
std::optional<std::string> config_boolean(const std::string& value)
{
    const std::string lower = to_lower(value);
    if (lower == "true" || lower == "yes" || lower == "1") return "true";
    if (lower == "false" || lower == "no" || lower == "0") return "false";
    return std::nullopt;
}

/// Accepts a plain decimal number in [min, max]. CLI11 2.1 alone would read
/// "010" as octal and "0x10" as hexadecimal, a surprise in a config file.
CLI::Validator decimal_in_range(std::uint64_t min, std::uint64_t max)
{
    return CLI::Validator(
        [min, max](std::string& input) -> std::string {
            const std::string range = std::to_string(min) + ".." + std::to_string(max);
            const bool digits = !input.empty() && std::all_of(input.begin(), input.end(),
                                                              [](unsigned char c) { return std::isdigit(c) != 0; });
            if (!digits) return "Value " + input + " is not a decimal number in " + range;
            std::uint64_t value = 0;
            const auto [end, error] = std::from_chars(input.data(), input.data() + input.size(), value);
            if (error != std::errc{} || end != input.data() + input.size() || value < min || value > max) {
                return "Value " + input + " is not in " + range;
            }
            input = std::to_string(value); // No leading zeros left for an octal reading.
            return {};
        },
        "");
}

/// What went wrong reading @p path as a config file, for the error message.
std::string unreadable_reason(const std::string& path)
{
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return syscall_error("open", path).what();
    struct stat status {};
    std::string cannot = "cannot read " + path;
    if (::fstat(fd.get(), &status) == 0 && S_ISDIR(status.st_mode)) return cannot + ": it is a directory";
    return cannot;
}

/// What a config file may set: every option but --help and --config.
struct Setting {
    bool flag = false;                   ///< A boolean: true/false/yes/no/1/0.
    std::optional<CLI::Validator> check; ///< The option's own range check, if any.
};
using Settings = std::map<std::string, Setting>;

/// The `NAME value` config file format (config_file.hpp), for CLI11: it turns
/// the file into settings that CLI11 applies to options not given on the
/// command line, which is what makes the command line override the file.
class ConfigFormat : public CLI::Config {
public:
    explicit ConfigFormat(Settings settings) : settings_(std::move(settings)) {}

    std::string to_config(const CLI::App* app, bool default_also, bool write_description,
                          std::string /*prefix*/) const override
    {
        std::ostringstream out;
        for (const CLI::Option* option : app->get_options()) {
            if (option->get_lnames().empty() || settings_.count(option->get_lnames().front()) == 0) continue;
            std::string value;
            if (option->count() > 0) {
                for (const std::string& result : option->results()) value += (value.empty() ? "" : " ") + result;
            } else if (default_also) {
                value = option->get_default_str();
                if (value.empty() && option->get_expected_min() == 0) value = "false";
            }
            if (value.empty()) continue;
            if (write_description) out << "# " << option->get_description() << '\n';
            out << config_name(option->get_lnames().front()) << ' ' << value << '\n';
        }
        return out.str();
    }

    std::vector<CLI::ConfigItem> from_config(std::istream& in) const override
    {
        std::vector<ConfigEntry> entries;
        try {
            entries = parse_config(in);
        } catch (const ConfigError& error) {
            throw CLI::ConfigError(error.what());
        }

        std::vector<CLI::ConfigItem> items;
        std::map<std::string, std::size_t> first_line;
        for (const ConfigEntry& entry : entries) {
            const std::string where = "config line " + std::to_string(entry.line) + ": ";
            const std::string name = config_name(entry.option);
            const auto known = settings_.find(entry.option);
            if (known == settings_.end()) throw CLI::ConfigError(where + "unknown setting " + name);
            // CLI11 would silently keep the first of two values; say which lines clash.
            const auto [seen, fresh] = first_line.emplace(entry.option, entry.line);
            if (!fresh) {
                throw CLI::ConfigError(where + name + " is already set on line " + std::to_string(seen->second));
            }
            CLI::ConfigItem item; // Not aggregate-initialised: CLI11 2.4 adds members.
            item.name = entry.option;
            item.inputs = {checked_value(known->second, entry.value, where + name)};
            items.push_back(std::move(item));
        }
        return items;
    }

private:
    // Checked here as well as by CLI11, so that the message names the line.
    static std::string checked_value(const Setting& setting, std::string value, const std::string& where)
    {
        if (setting.flag) {
            const auto flag = config_boolean(value);
            if (!flag) throw CLI::ConfigError(where + " must be true, false, yes, no, 1 or 0, not " + value);
            return *flag;
        }
        if (setting.check) {
            const std::string problem = (*setting.check)(value);
            if (!problem.empty()) throw CLI::ConfigError(where + ": " + problem);
        }
        return value;
    }

    Settings settings_;
};

/// Declares every option of the contract (PROTOCOL.md) on @p app, bound to
/// @p options, and returns what a config file may set.
Settings add_options(CLI::App& app, ServerOptions& options)
{
    Settings settings;
    const auto text = [&](const std::string& name, std::string& value, const std::string& description,
                          const std::string& type) {
        settings[name] = Setting{};
        return app.add_option("--" + name, value, description)->type_name(type);
    };
    const auto number = [&](const std::string& name, auto& value, const std::string& description, std::uint64_t min,
                            std::uint64_t max) {
        const CLI::Validator check = decimal_in_range(min, max);
        settings[name] = Setting{false, check};
        app.add_option("--" + name, value, description)->type_name("N")->capture_default_str()->transform(check);
    };
    const auto flag = [&](const std::string& name, bool& value, const std::string& description) {
        settings[name] = Setting{true, std::nullopt};
        app.add_flag("--" + name, value, description);
    };
    constexpr std::uint64_t max_unsigned = std::numeric_limits<unsigned>::max();

    number("port", options.port, "TCP port to listen on, 0..65535; 0 picks a free one (see the READY line)", 0, 65535);
    text("bind", options.bind,
         "Listen only on this IPv4 or IPv6 address, or host name (its first address) "
         "(default: every IPv4 and IPv6 address)",
         "ADDR");
    text("log", options.log, "The chat log file, created when missing", "FILE")->capture_default_str();
    text("key-file", options.key_file,
         "Require clients to send the 128-character key held in FILE (stages " + authenticating_stages() +
             "); FILE must not be accessible to group or others (default: no key, no authentication)",
         "FILE");
    number("history", options.history, "Lines of history sent to a client when it joins, 0..10000 (at most 10000)", 0,
           10000);
    text("user", options.user,
         "When started as root: run as this system user, after opening the log and key and binding "
         "(default: none)",
         "NAME");
    flag("allow-root", options.allow_root,
         "Allow running as root without --user (default: off; a root service refuses to start)");
    text("pidfile", options.pidfile, "Write the acceptor's pid to FILE, removed at a clean stop (default: no pidfile)",
         "FILE");
    number("max-clients", options.max_clients,
           "Most clients connected at once, at least 1; further clients are closed at once", 1, max_unsigned);
    number("auth-timeout-ms", options.auth_timeout_ms,
           "Milliseconds a client has, in total, to send the whole key, at least 1", 1, max_unsigned);
    number("max-line", options.max_line,
           "Longest accepted line in bytes, without its newline, 1..1048576; a longer line closes the connection", 1,
           1048576);
    flag("daemon", options.daemon,
         "Run in the background: return once the service listens, log to syslog (default: off)");
    number("stage", options.stage,
           "Behave as the server of lab N, 0.." + std::to_string(last_stage) + ": " + describe_stage_choices(), 0,
           last_stage);
    app.set_config("--config", "",
                   "Read settings from FILE: one `NAME value` per line, e.g. `PORT 7722`, `MAX_CLIENTS 64`, "
                   "`DAEMON yes`; # starts a comment; options given on the command line win "
                   "(default: no config file)")
        ->type_name("FILE");
    return settings;
}

/// The config file named on the command line (parsed before the file is read).
std::string config_path(const CLI::App& app)
{
    const CLI::Option* option = app.get_config_ptr();
    if (option == nullptr || option->results().empty()) return {};
    return option->results().back();
}

} // namespace

ParsedOptions parse_server_options(int argc, const char* const* argv, const std::string& program,
                                   const std::string& description, std::ostream& out, std::ostream& err)
{
    ServerOptions options;
    CLI::App app(description, program);
    app.get_formatter()->column_width(32);
    app.config_formatter(std::make_shared<ConfigFormat>(add_options(app, options)));

    const auto usage_error = [&](const CLI::Error& error) {
        const int code = app.exit(error, out, err);
        // CLI11's codes (100 and up) are not the contract's: usage errors exit 2.
        return ParsedOptions{std::nullopt, code == 0 ? 0 : 2};
    };
    try {
        app.parse(argc, argv);
    } catch (const CLI::FileError&) {
        const std::string path = config_path(app);
        return usage_error(CLI::FileError("--config: " + unreadable_reason(path)));
    } catch (const CLI::ConfigError& error) {
        return usage_error(CLI::ConfigError("--config " + config_path(app) + ": " + error.what()));
    } catch (const CLI::ParseError& error) {
        return usage_error(error);
    }
    options.config = config_path(app);
    return ParsedOptions{std::move(options), 0};
}

} // namespace papaya
