#include "papaya/server_options.hpp"

#include "papaya/harness/temp_dir.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

using papaya::ParsedOptions;
using papaya::ServerOptions;
using papaya::harness::TempDir;
using testing::IsSubstring;

namespace {

struct Outcome {
    ParsedOptions parsed;
    std::string out;
    std::string err;
};

// Parses `papayad <args...>`, capturing what it prints.
Outcome parse(const std::vector<std::string>& args)
{
    std::vector<const char*> argv{"papayad"};
    for (const auto& arg : args) argv.push_back(arg.c_str());
    argv.push_back(nullptr);
    std::ostringstream out;
    std::ostringstream err;
    ParsedOptions parsed = papaya::parse_server_options(static_cast<int>(argv.size() - 1), argv.data(), "papayad",
                                                        "the papaya chat server", out, err);
    return {std::move(parsed), out.str(), err.str()};
}

// Parses @p args, which must succeed, and returns the options.
ServerOptions parse_ok(const std::vector<std::string>& args)
{
    Outcome run = parse(args);
    EXPECT_TRUE(run.parsed.options.has_value()) << run.err;
    EXPECT_EQ(run.err, "");
    return run.parsed.options.value_or(ServerOptions{});
}

// The line of `--help` that describes @p option (it starts with the option's name).
std::string help_line(const std::string& help, const std::string& option)
{
    std::istringstream lines(help);
    for (std::string line; std::getline(lines, line);) {
        const auto start = line.find_first_not_of(' ');
        if (start == std::string::npos || line.compare(start, option.size(), option) != 0) continue;
        const auto after = start + option.size();
        if (after == line.size() || line[after] == ' ' || line[after] == '=') return line;
    }
    return "";
}

// Whether a `--help` line shows @p value as the default (CLI11 2.1 writes
// `--port N=7722`, CLI11 2.4 `--port N [7722]`).
bool shows_default(const std::string& line, const std::string& value)
{
    return line.find("=" + value + " ") != std::string::npos || line.find("[" + value + "]") != std::string::npos;
}

} // namespace

TEST(ServerOptions, Defaults)
{
    const ServerOptions options = parse_ok({});
    EXPECT_EQ(options.port, 7722);
    EXPECT_EQ(options.bind, "");
    EXPECT_EQ(options.log, "chat.log");
    EXPECT_EQ(options.key_file, "");
    EXPECT_EQ(options.history, 7U);
    EXPECT_EQ(options.user, "");
    EXPECT_FALSE(options.allow_root);
    EXPECT_EQ(options.pidfile, "");
    EXPECT_EQ(options.max_clients, 1024U);
    EXPECT_EQ(options.auth_timeout_ms, 1000U);
    EXPECT_EQ(options.max_line, 4096U);
    EXPECT_FALSE(options.daemon);
    EXPECT_EQ(options.stage, 6);
    EXPECT_EQ(options.config, "");
}

TEST(ServerOptions, EveryOptionOnTheCommandLine)
{
    const ServerOptions options = parse_ok({"--port",
                                            "0",
                                            "--bind",
                                            "::1",
                                            "--log",
                                            "/tmp/c.log",
                                            "--key-file",
                                            "k",
                                            "--history",
                                            "3",
                                            "--user",
                                            "nobody",
                                            "--allow-root",
                                            "--pidfile",
                                            "p",
                                            "--max-clients",
                                            "5",
                                            "--auth-timeout-ms",
                                            "250",
                                            "--max-line",
                                            "80",
                                            "--daemon",
                                            "--stage",
                                            "2"});
    EXPECT_EQ(options.port, 0);
    EXPECT_EQ(options.bind, "::1");
    EXPECT_EQ(options.log, "/tmp/c.log");
    EXPECT_EQ(options.key_file, "k");
    EXPECT_EQ(options.history, 3U);
    EXPECT_EQ(options.user, "nobody");
    EXPECT_TRUE(options.allow_root);
    EXPECT_EQ(options.pidfile, "p");
    EXPECT_EQ(options.max_clients, 5U);
    EXPECT_EQ(options.auth_timeout_ms, 250U);
    EXPECT_EQ(options.max_line, 80U);
    EXPECT_TRUE(options.daemon);
    EXPECT_EQ(options.stage, 2);
}

TEST(ServerOptions, EqualsSignForm) { EXPECT_EQ(parse_ok({"--port=9000"}).port, 9000); }

TEST(ServerOptions, BoundaryValuesAreAccepted)
{
    EXPECT_EQ(parse_ok({"--port", "65535"}).port, 65535);
    EXPECT_EQ(parse_ok({"--stage", "0"}).stage, 0);
    EXPECT_EQ(parse_ok({"--history", "0"}).history, 0U);
    EXPECT_EQ(parse_ok({"--history", "10000"}).history, 10000U);
    EXPECT_EQ(parse_ok({"--max-clients", "1"}).max_clients, 1U);
    EXPECT_EQ(parse_ok({"--max-line", "1"}).max_line, 1U);
    EXPECT_EQ(parse_ok({"--max-line", "1048576"}).max_line, 1048576U);
    EXPECT_EQ(parse_ok({"--auth-timeout-ms", "1"}).auth_timeout_ms, 1U);
}

TEST(ServerOptions, NumbersAreDecimalEvenWithLeadingZeros) { EXPECT_EQ(parse_ok({"--port", "010"}).port, 10); }

TEST(ServerOptions, ConfigFileSetsEveryOption)
{
    const TempDir dir;
    const std::string path = dir.write("papayad.conf", "# all of them\n"
                                                       "PORT 8000\n"
                                                       "BIND 127.0.0.1\n"
                                                       "LOG /var/lib/papaya/chat.log\n"
                                                       "KEY_FILE /etc/papaya/key\n"
                                                       "HISTORY 20\n"
                                                       "USER papaya\n"
                                                       "ALLOW_ROOT yes\n"
                                                       "PIDFILE /run/papayad.pid\n"
                                                       "MAX_CLIENTS 64\n"
                                                       "AUTH_TIMEOUT_MS 500\n"
                                                       "MAX_LINE 1024\n"
                                                       "DAEMON true\n"
                                                       "STAGE 4\n");
    const ServerOptions options = parse_ok({"--config", path});
    EXPECT_EQ(options.port, 8000);
    EXPECT_EQ(options.bind, "127.0.0.1");
    EXPECT_EQ(options.log, "/var/lib/papaya/chat.log");
    EXPECT_EQ(options.key_file, "/etc/papaya/key");
    EXPECT_EQ(options.history, 20U);
    EXPECT_EQ(options.user, "papaya");
    EXPECT_TRUE(options.allow_root);
    EXPECT_EQ(options.pidfile, "/run/papayad.pid");
    EXPECT_EQ(options.max_clients, 64U);
    EXPECT_EQ(options.auth_timeout_ms, 500U);
    EXPECT_EQ(options.max_line, 1024U);
    EXPECT_TRUE(options.daemon);
    EXPECT_EQ(options.stage, 4);
    EXPECT_EQ(options.config, path);
}

TEST(ServerOptions, OriginalPapayaChatConfig)
{
    const TempDir dir;
    const std::string path = dir.write("papaya.conf", "PORT 7722\n");
    EXPECT_EQ(parse_ok({"--config", path}).port, 7722);
    const std::string other = dir.write("other.conf", "PORT 7723\n");
    EXPECT_EQ(parse_ok({"--config", other}).port, 7723);
}

TEST(ServerOptions, ConfigNamesAreCaseInsensitive)
{
    const TempDir dir;
    const std::string path = dir.write("c.conf", "port 8001\nMax_Clients 3\n");
    const ServerOptions options = parse_ok({"--config", path});
    EXPECT_EQ(options.port, 8001);
    EXPECT_EQ(options.max_clients, 3U);
}

TEST(ServerOptions, ConfigBooleansAcceptTrueSpellings)
{
    const TempDir dir;
    for (const char* value : {"true", "yes", "1", "TRUE", "Yes"}) {
        const std::string path = dir.write("c.conf", std::string("ALLOW_ROOT ") + value + "\nDAEMON " + value + "\n");
        const ServerOptions options = parse_ok({"--config", path});
        EXPECT_TRUE(options.allow_root) << value;
        EXPECT_TRUE(options.daemon) << value;
    }
}

TEST(ServerOptions, ConfigBooleansAcceptFalseSpellings)
{
    const TempDir dir;
    for (const char* value : {"false", "no", "0", "False", "NO"}) {
        const std::string path = dir.write("c.conf", std::string("ALLOW_ROOT ") + value + "\nDAEMON " + value + "\n");
        const ServerOptions options = parse_ok({"--config", path});
        EXPECT_FALSE(options.allow_root) << value;
        EXPECT_FALSE(options.daemon) << value;
    }
}

TEST(ServerOptions, ConfigBadBooleanIsAnError)
{
    const TempDir dir;
    const Outcome run = parse({"--config", dir.write("c.conf", "PORT 1\nDAEMON maybe\n")});
    EXPECT_FALSE(run.parsed.options.has_value());
    EXPECT_EQ(run.parsed.exit_code, 2);
    EXPECT_PRED_FORMAT2(IsSubstring, "line 2", run.err);
    EXPECT_PRED_FORMAT2(IsSubstring, "DAEMON", run.err);
}

TEST(ServerOptions, CommandLineOverridesConfig)
{
    const TempDir dir;
    const std::string path = dir.write("c.conf", "PORT 8000\nLOG from-file.log\n");
    const ServerOptions options = parse_ok({"--port", "9000", "--config", path});
    EXPECT_EQ(options.port, 9000);
    EXPECT_EQ(options.log, "from-file.log");
}

TEST(ServerOptions, CommandLineOverridesConfigWhateverTheOrder)
{
    const TempDir dir;
    const std::string path = dir.write("c.conf", "PORT 8000\n");
    EXPECT_EQ(parse_ok({"--config", path, "--port", "9000"}).port, 9000);
}

TEST(ServerOptions, CommandLineCanSwitchOffAConfigFlag)
{
    const TempDir dir;
    const std::string path = dir.write("c.conf", "DAEMON yes\n");
    EXPECT_FALSE(parse_ok({"--config", path, "--daemon=false"}).daemon);
}

TEST(ServerOptions, UnknownConfigNameIsAnError)
{
    const TempDir dir;
    const std::string path = dir.write("c.conf", "PORT 8000\nCOLOUR blue\n");
    const Outcome run = parse({"--config", path});
    EXPECT_FALSE(run.parsed.options.has_value());
    EXPECT_EQ(run.parsed.exit_code, 2);
    EXPECT_PRED_FORMAT2(IsSubstring, "line 2", run.err);
    EXPECT_PRED_FORMAT2(IsSubstring, "COLOUR", run.err);
    EXPECT_PRED_FORMAT2(IsSubstring, path, run.err);
}

TEST(ServerOptions, ConfigCannotNameAnotherConfig)
{
    const TempDir dir;
    const Outcome run = parse({"--config", dir.write("c.conf", "CONFIG other.conf\n")});
    EXPECT_EQ(run.parsed.exit_code, 2);
    EXPECT_PRED_FORMAT2(IsSubstring, "line 1", run.err);
}

TEST(ServerOptions, ConfigLineWithoutValueIsAnError)
{
    const TempDir dir;
    const Outcome run = parse({"--config", dir.write("c.conf", "# settings\nPORT\n")});
    EXPECT_EQ(run.parsed.exit_code, 2);
    EXPECT_PRED_FORMAT2(IsSubstring, "config line 2: PORT has no value", run.err);
}

TEST(ServerOptions, ConfigSettingTwiceIsAnError)
{
    const TempDir dir;
    const Outcome run = parse({"--config", dir.write("c.conf", "PORT 1\nport 2\n")});
    EXPECT_EQ(run.parsed.exit_code, 2);
    EXPECT_PRED_FORMAT2(IsSubstring, "line 2", run.err);
}

TEST(ServerOptions, BadValueInConfigIsAnError)
{
    const TempDir dir;
    const Outcome run = parse({"--config", dir.write("c.conf", "LOG x\nPORT 70000\n")});
    EXPECT_FALSE(run.parsed.options.has_value());
    EXPECT_EQ(run.parsed.exit_code, 2);
    EXPECT_PRED_FORMAT2(IsSubstring, "line 2", run.err);
    EXPECT_PRED_FORMAT2(IsSubstring, "PORT", run.err);
    EXPECT_PRED_FORMAT2(IsSubstring, "70000", run.err);
}

TEST(ServerOptions, MissingConfigFileIsAnError)
{
    const TempDir dir;
    const std::string path = dir.file("missing.conf");
    const Outcome run = parse({"--config", path});
    EXPECT_FALSE(run.parsed.options.has_value());
    EXPECT_EQ(run.parsed.exit_code, 2);
    EXPECT_PRED_FORMAT2(IsSubstring, path, run.err);
}

TEST(ServerOptions, ConfigDirectoryIsAnError)
{
    const TempDir dir;
    const Outcome run = parse({"--config", dir.path().string()});
    EXPECT_EQ(run.parsed.exit_code, 2);
    EXPECT_PRED_FORMAT2(IsSubstring, dir.path().string(), run.err);
}

TEST(ServerOptions, BadValuesAreUsageErrors)
{
    const std::vector<std::vector<std::string>> cases{
        {"--port", "65536"},
        {"--port", "-1"},
        {"--port", "http"},
        {"--port", "0x10"},
        {"--port", ""},
        {"--port"},
        {"--stage", std::to_string(papaya::last_stage + 1)},
        {"--stage", "-1"},
        {"--history", "10001"},
        {"--max-clients", "0"},
        {"--max-line", "0"},
        {"--max-line", "1048577"},
        {"--auth-timeout-ms", "0"},
        {"--no-such-option"},
        {"unexpected"},
        {"--port", "1", "--port", "2"},
    };
    for (const auto& args : cases) {
        const Outcome run = parse(args);
        const std::string shown = args.front() + (args.size() > 1 ? " " + args[1] : "");
        EXPECT_FALSE(run.parsed.options.has_value()) << shown;
        EXPECT_EQ(run.parsed.exit_code, 2) << shown;
        EXPECT_PRED_FORMAT2(IsSubstring, "Run with --help for more information.", run.err) << shown;
        EXPECT_EQ(run.out, "") << shown;
    }
}

TEST(ServerOptions, HistoryErrorStatesTheLimit)
{
    const Outcome run = parse({"--history", "10001"});
    EXPECT_PRED_FORMAT2(IsSubstring, "10000", run.err);
}

TEST(ServerOptions, HelpExitsZero)
{
    for (const char* flag : {"--help", "-h"}) {
        const Outcome run = parse({flag});
        EXPECT_FALSE(run.parsed.options.has_value()) << flag;
        EXPECT_EQ(run.parsed.exit_code, 0) << flag;
        EXPECT_EQ(run.err, "") << flag;
        EXPECT_PRED_FORMAT2(IsSubstring, "the papaya chat server", run.out) << flag;
    }
}

TEST(ServerOptions, HelpListsEveryOptionWithItsDefault)
{
    const Outcome run = parse({"--help"});
    const std::vector<std::pair<std::string, std::string>> values{
        {"--port", "7722"},        {"--log", "chat.log"},         {"--history", "7"},
        {"--max-clients", "1024"}, {"--auth-timeout-ms", "1000"}, {"--max-line", "4096"},
        {"--stage", "6"},
    };
    for (const auto& [option, value] : values) {
        const std::string line = help_line(run.out, option);
        EXPECT_TRUE(shows_default(line, value)) << option << " default " << value << " not in\n" << run.out;
    }
    // Options whose default is "nothing" say in words what that means.
    const std::vector<std::pair<std::string, std::string>> described{
        {"--bind", "default: every IPv4 and IPv6 address"},
        {"--key-file", "default: no key"},
        {"--user", "default: none"},
        {"--allow-root", "default: off"},
        {"--pidfile", "default: no pidfile"},
        {"--daemon", "default: off"},
        {"--config", "default: no config file"},
    };
    for (const auto& [option, words] : described) {
        const std::string line = help_line(run.out, option);
        EXPECT_NE(line, "") << option << " missing from\n" << run.out;
        EXPECT_PRED_FORMAT2(IsSubstring, words, line) << option;
    }
}

TEST(ServerOptions, HelpWinsOverAMissingConfigFile)
{
    const TempDir dir;
    const Outcome run = parse({"--config", dir.file("missing.conf"), "--help"});
    EXPECT_EQ(run.parsed.exit_code, 0);
    EXPECT_EQ(run.err, "");
}
