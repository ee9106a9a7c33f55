#include "papaya/config_file.hpp"

#include "papaya/text.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace papaya {

namespace {

// `MAX_CLIENTS` and `max_clients` both name the long option `--max-clients`.
std::string option_name(std::string_view name)
{
    std::string option(name);
    std::transform(option.begin(), option.end(), option.begin(),
                   [](unsigned char c) { return c == '_' ? '-' : static_cast<char>(std::tolower(c)); });
    return option;
}

} // namespace

std::vector<ConfigEntry> parse_config(std::istream& in)
{
    std::vector<ConfigEntry> entries;
    std::string raw;
    for (std::size_t number = 1; std::getline(in, raw); ++number) {
        const std::string_view line = trim_blanks(raw);
        if (line.empty() || line.front() == '#') continue;

        const auto name_end = std::find_if(line.begin(), line.end(), is_blank);
        const std::string_view name(line.data(), static_cast<std::size_t>(name_end - line.begin()));
        const std::string_view value = trim_blanks(line.substr(name.size()));
        if (value.empty()) {
            throw ConfigError("config line " + std::to_string(number) + ": " + std::string(name) + " has no value");
        }
        entries.push_back({option_name(name), std::string(value), number});
    }
    if (in.bad()) throw ConfigError("config file: read error");
    return entries;
}

} // namespace papaya
