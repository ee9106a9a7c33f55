// Fuzz target: the config file, parsed alone (parse_config) and through
// parse_server_options(--config FILE), which also checks every value.
#include "fuzz_support.hpp"
#include "papaya/config_file.hpp"
#include "papaya/server_options.hpp"

#include <cstdlib>
#include <sstream>

namespace {

void check_entries(const std::string& text)
{
    std::istringstream in(text);
    std::vector<papaya::ConfigEntry> entries;
    try {
        entries = papaya::parse_config(in);
    } catch (const papaya::ConfigError&) {
        return;
    }
    std::size_t previous_line = 0;
    for (const auto& entry : entries) {
        // A name is one word, a value has no trailing blank, lines go forward.
        if (entry.option.empty() || entry.option.find_first_of(" \t\n") != std::string::npos) std::abort();
        if (entry.value.empty() || entry.value.find('\n') != std::string::npos) std::abort();
        const char last = entry.value.back();
        if (last == ' ' || last == '\t' || last == '\r') std::abort();
        if (entry.line <= previous_line) std::abort();
        previous_line = entry.line;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    check_entries(text);

    const std::string path = papaya::fuzz::temp_dir() + "/papayad.conf";
    papaya::fuzz::write_file(path, text);
    const char* argv[] = {"papayad", "--config", path.c_str()};
    std::ostringstream out, err;
    const auto parsed = papaya::parse_server_options(3, argv, "papayad", "fuzz", out, err);
    // Either options, or a usage error that was reported (never --help from a file).
    if (!parsed.options && (parsed.exit_code != 2 || err.str().empty())) std::abort();
    if (parsed.options && (parsed.options->stage < 0 || parsed.options->stage > papaya::last_stage)) std::abort();
    return 0;
}
