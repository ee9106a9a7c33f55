#include "papaya/config_file.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace papaya {

namespace {

bool is_blank(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view text) noexcept
{
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

// `MAX_CLIENTS` and `max_clients` both name the long option `--max-clients`.
std::string option_name(std::string_view name)
{
    std::string option(name);
    std::transform(option.begin(), option.end(), option.begin(), [](unsigned char c) {
        return c == '_' ? '-' : static_cast<char>(std::tolower(c));
    });
    return option;
}

} // namespace

std::vector<ConfigEntry> parse_config(std::istream& in)
{
    std::vector<ConfigEntry> entries;
    std::string raw;
    for (std::size_t number = 1; std::getline(in, raw); ++number) {
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') continue;

        const auto name_end = std::find_if(line.begin(), line.end(), is_blank);
        const std::string_view name(line.data(), static_cast<std::size_t>(name_end - line.begin()));
        const std::string_view value = trim(line.substr(name.size()));
        if (value.empty()) {
            throw ConfigError("config line " + std::to_string(number) + ": " + std::string(name) +
                              " has no value");
        }
        entries.push_back({option_name(name), std::string(value), number});
    }
    if (in.bad()) throw ConfigError("config file: read error");
    return entries;
}

} // namespace papaya
