// Fuzz target: the command lines of the server (parse_server_options) and of
// the client (parse_client_options). The input is split at NUL bytes into
// arguments; a parse may succeed or report a usage error, never throw or crash.
#include "options.hpp"
#include "papaya/server_options.hpp"

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::vector<std::string> words{"program"};
    std::string word;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == '\0') {
            words.push_back(std::move(word));
            word.clear();
        } else {
            word.push_back(static_cast<char>(data[i]));
        }
    }
    words.push_back(word);
    // No file from outside the fuzzer: --config names a file that does not exist.
    for (auto& w : words)
        if (w.starts_with("--config") || w == "-c") w = "--config=/nonexistent/papaya-fuzz.conf";
    std::vector<const char*> argv;
    for (const auto& w : words) argv.push_back(w.c_str());
    const int argc = static_cast<int>(argv.size());

    std::ostringstream out, err;
    const auto server = papaya::parse_server_options(argc, argv.data(), "papayad", "fuzz", out, err);
    if (!server.options && server.exit_code != 0 && server.exit_code != 2) std::abort();
    if (server.options && (server.options->stage < 0 || server.options->stage > papaya::last_stage)) std::abort();

    papaya::client::Environment env;
    env.xdg_config_home = "/nonexistent/xdg";
    env.home = "/nonexistent/home";
    env.user = "fuzz";
    std::ostringstream cout, cerr;
    const auto client = papaya::client::parse_client_options(argc, argv.data(), env, cout, cerr);
    if (!client.options && client.exit_code != 0 && client.exit_code != 2) std::abort();
    return 0;
}
