#include "options.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "papaya/harness/temp_dir.hpp"

namespace papaya::client {
namespace {

using harness::TempDir;

struct Outcome {
    ParsedClientOptions parsed;
    std::string out;
    std::string err;
};

Outcome parse(std::vector<std::string> args, const Environment& env)
{
    args.insert(args.begin(), "papaya");
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    std::ostringstream out, err;
    Outcome outcome{parse_client_options(static_cast<int>(argv.size()), argv.data(), env, out, err), {}, {}};
    outcome.out = out.str();
    outcome.err = err.str();
    return outcome;
}

/// An environment whose config folder is @p home/.config (empty unless a test writes there).
Environment env_with_home(const TempDir& home)
{
    Environment env;
    env.home = home.path().string();
    env.user = "ana";
    return env;
}

std::string key_text(char c = 'k') { return std::string(key_size, c); }

TEST(ClientOptions, Defaults)
{
    const TempDir home;
    const Outcome o = parse({}, env_with_home(home));
    ASSERT_TRUE(o.parsed.options) << o.err;
    const ClientOptions& options = *o.parsed.options;
    EXPECT_EQ(options.host, "127.0.0.1");
    EXPECT_EQ(options.port, 7722);
    EXPECT_EQ(options.name, "ana");
    EXPECT_TRUE(options.key_file.empty());
    EXPECT_FALSE(options.key_text);
    EXPECT_TRUE(options.config.empty());
    EXPECT_FALSE(options.line_mode);
    EXPECT_TRUE(options.mouse);
    EXPECT_EQ(options.timeout, std::chrono::milliseconds{5000});
    EXPECT_EQ(load_client_key(options), std::nullopt);
}

TEST(ClientOptions, CommandLine)
{
    const TempDir home;
    const Outcome o = parse({"--host", "::1", "--port", "8000", "--name", "bob", "--tail", "3", "--timeout", "0.25",
                             "--settle-ms", "50", "--no-mouse", "--max-line", "100"},
                            env_with_home(home));
    ASSERT_TRUE(o.parsed.options) << o.err;
    const ClientOptions& options = *o.parsed.options;
    EXPECT_EQ(options.host, "::1");
    EXPECT_EQ(options.port, 8000);
    EXPECT_EQ(options.name, "bob");
    EXPECT_EQ(options.tail, 3u);
    EXPECT_TRUE(options.line_mode); // --tail implies it
    EXPECT_EQ(options.timeout, std::chrono::milliseconds{250});
    EXPECT_EQ(options.settle, std::chrono::milliseconds{50});
    EXPECT_FALSE(options.mouse);
    EXPECT_EQ(options.max_line, 100u);
}

TEST(ClientOptions, UsageErrorsExit2WithAReason)
{
    const TempDir home;
    const Environment env = env_with_home(home);
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--port", "0"}, "1..65535"},   {{"--port", "0x10"}, "port"},
        {{"--port", "70000"}, "port"},   {{"--name", "a:b"}, "':'"},
        {{"--name", ""}, "empty"},       {{"--tail", "1", "--send", "x"}, "excludes"},
        {{"--send", ""}, "empty"},       {{"--timeout", "1.2345"}, "seconds"},
        {{"--timeout", "0"}, "seconds"}, {{"--send", "x", "--max-line", "5"}, "--max-line"},
        {{"--bogus"}, "bogus"},          {{"--config", (home.path() / "missing").string()}, "missing"},
    };
    for (const auto& [args, reason] : cases) {
        const Outcome o = parse(args, env);
        EXPECT_FALSE(o.parsed.options) << args.front();
        EXPECT_EQ(o.parsed.exit_code, 2) << args.front();
        EXPECT_NE(o.err.find(reason), std::string::npos) << args.front() << ": " << o.err;
    }
}

TEST(ClientOptions, HelpExplainsTheHistoryRule)
{
    const TempDir home;
    const Outcome o = parse({"--help"}, env_with_home(home));
    EXPECT_FALSE(o.parsed.options);
    EXPECT_EQ(o.parsed.exit_code, 0);
    for (const char* text : {"--tail", "--send", "--settle-ms", "quiet", "PAPAYA_KEY", "config"}) {
        EXPECT_NE(o.out.find(text), std::string::npos) << text;
    }
}

TEST(ClientOptions, DefaultConfigPathFollowsXdg)
{
    Environment env;
    env.home = "/home/ana";
    EXPECT_EQ(default_config_path(env), "/home/ana/.config/papaya/config");
    env.xdg_config_home = "/xdg";
    EXPECT_EQ(default_config_path(env), "/xdg/papaya/config");
    env.xdg_config_home = "relative"; // ignored, as the XDG spec says
    EXPECT_EQ(default_config_path(env), "/home/ana/.config/papaya/config");
    EXPECT_EQ(default_config_path(Environment{}), "");
}

TEST(ClientOptions, ConfigFileInTheXdgFolderAndTheCommandLineWins)
{
    const TempDir xdg;
    std::filesystem::create_directories(xdg.path() / "papaya");
    xdg.write("papaya/config",
              "# my chat\nHOST chat.example.org\nport 7000\nNAME cleo\nKEY_FILE secret/key\nMOUSE no\n");
    Environment env;
    env.xdg_config_home = xdg.path().string();
    env.user = "ana";
    Outcome o = parse({}, env);
    ASSERT_TRUE(o.parsed.options) << o.err;
    EXPECT_EQ(o.parsed.options->config, (xdg.path() / "papaya/config").string());
    EXPECT_EQ(o.parsed.options->host, "chat.example.org");
    EXPECT_EQ(o.parsed.options->port, 7000);
    EXPECT_EQ(o.parsed.options->name, "cleo");
    EXPECT_FALSE(o.parsed.options->mouse);
    // A relative KEY_FILE is next to the config file.
    EXPECT_EQ(o.parsed.options->key_file, (xdg.path() / "papaya/secret/key").string());

    o = parse({"--port", "7001", "--name", "dan", "--host", "localhost"}, env);
    ASSERT_TRUE(o.parsed.options) << o.err;
    EXPECT_EQ(o.parsed.options->port, 7001);
    EXPECT_EQ(o.parsed.options->name, "dan");
    EXPECT_EQ(o.parsed.options->host, "localhost");
}

TEST(ClientOptions, ExplicitConfigAndHomeFallback)
{
    const TempDir home;
    std::filesystem::create_directories(home.path() / ".config/papaya");
    home.write(".config/papaya/config", "PORT 7100\n");
    const Outcome fallback = parse({}, env_with_home(home));
    ASSERT_TRUE(fallback.parsed.options) << fallback.err;
    EXPECT_EQ(fallback.parsed.options->port, 7100);

    const auto other = home.write("other.conf", "PORT 7200\nKEY_FILE ~/k\n");
    const Outcome explicit_file = parse({"--config", other.string()}, env_with_home(home));
    ASSERT_TRUE(explicit_file.parsed.options) << explicit_file.err;
    EXPECT_EQ(explicit_file.parsed.options->port, 7200);
    EXPECT_EQ(explicit_file.parsed.options->key_file, (home.path() / "k").string());
}

TEST(ClientOptions, ConfigErrorsNameTheLine)
{
    const TempDir home;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"PORT 7000\nCOLOUR red\n", "line 2: COLOUR"},
        {"PORT 7000\nPORT 7001\n", "line 2: PORT: already set on line 1"},
        {"PORT seven\n", "line 1: PORT"},
        {"NAME\n", "line 1"},
        {"MOUSE maybe\n", "line 1: MOUSE"},
        {"NAME x:y\n", "line 1: NAME"},
    };
    for (const auto& [text, reason] : cases) {
        const auto path = home.write("bad.conf", text);
        const Outcome o = parse({"--config", path.string()}, env_with_home(home));
        EXPECT_EQ(o.parsed.exit_code, 2) << text;
        EXPECT_NE(o.err.find(reason), std::string::npos) << text << " gave " << o.err;
    }
}

TEST(ClientOptions, KeyPrecedenceCommandLineThenEnvironmentThenConfig)
{
    const TempDir home;
    const auto config = home.write("c.conf", "KEY_FILE /from/config\n");
    Environment env = env_with_home(home);
    Outcome o = parse({"--config", config.string()}, env);
    EXPECT_EQ(o.parsed.options->key_file, "/from/config");

    env.key = key_text('e');
    o = parse({"--config", config.string()}, env);
    EXPECT_TRUE(o.parsed.options->key_file.empty());
    EXPECT_EQ(o.parsed.options->key_text, key_text('e'));

    o = parse({"--config", config.string(), "--key-file", "/from/cli"}, env);
    EXPECT_EQ(o.parsed.options->key_file, "/from/cli");
    EXPECT_FALSE(o.parsed.options->key_text);
}

TEST(ClientOptions, KeysFromTheEnvironmentAndFromFiles)
{
    ClientOptions options;
    options.key_text = "KEY " + key_text('a') + "\n";
    const auto key = load_client_key(options);
    ASSERT_TRUE(key);
    EXPECT_EQ(std::string(key->data(), key->size()), key_text('a'));

    options.key_text = "short";
    EXPECT_THROW(load_client_key(options), KeyFileError);

    const TempDir dir;
    options.key_text.reset();
    options.key_file = dir.write("key", key_text('f') + "\n", 0600).string();
    EXPECT_EQ(std::string(load_client_key(options)->data(), key_size), key_text('f'));
    options.key_file = dir.write("open-key", key_text('f') + "\n", 0644).string();
    try {
        load_client_key(options);
        ADD_FAILURE() << "a key file readable by others was accepted";
    } catch (const KeyFileError& error) {
        EXPECT_NE(std::string(error.what()).find("chmod 600"), std::string::npos) << error.what();
    }
}

TEST(ClientOptions, Names)
{
    EXPECT_EQ(name_problem("ana"), "");
    EXPECT_EQ(name_problem("Ana Lima"), "");
    EXPECT_EQ(name_problem("\xC3\xA1lvaro"), "");
    EXPECT_NE(name_problem(""), "");
    EXPECT_NE(name_problem(" ana"), "");
    EXPECT_NE(name_problem("a\x1b"), "");
    EXPECT_NE(name_problem("a:b"), "");
    EXPECT_NE(name_problem("\xFF"), "");
    EXPECT_NE(name_problem(std::string(33, 'a')), "");
}

} // namespace
} // namespace papaya::client
