#include "proc_parse.hpp"

#include <charconv>

#include "papaya/process/words.hpp"

namespace bench {

namespace {

std::string_view next_line(std::string_view& text) noexcept
{
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    return line;
}

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

std::optional<std::uint64_t> to_u64(std::string_view s) noexcept
{
    s = trim(s);
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr == s.data()) return std::nullopt;
    return v;
}

// "Name:   value [kB]" -> value (the line must start with name followed by ':').
std::optional<std::uint64_t> field(std::string_view line, std::string_view name) noexcept
{
    if (line.size() <= name.size() || line.substr(0, name.size()) != name || line[name.size()] != ':')
        return std::nullopt;
    line.remove_prefix(name.size() + 1);
    line = trim(line);
    const auto sp = line.find(' ');
    return to_u64(line.substr(0, sp));
}

std::string_view word(std::string_view& s) noexcept
{
    s = trim(s);
    const auto sp = s.find_first_of(" \t");
    std::string_view w = s.substr(0, sp);
    s.remove_prefix(sp == std::string_view::npos ? s.size() : sp);
    return w;
}

bool has_token(std::string_view list, std::string_view token)
{
    return papaya::process::list_contains(list, ',', token);
}

} // namespace

std::optional<std::uint64_t> parse_cpu_stat_usage_ns(std::string_view text) noexcept
{
    while (!text.empty()) {
        std::string_view line = next_line(text);
        std::string_view key = word(line);
        if (key == "usage_usec") {
            const auto v = to_u64(line);
            if (v) return *v * 1000;
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::optional<std::uint64_t> parse_single_u64(std::string_view text) noexcept { return to_u64(text); }

std::optional<std::uint64_t> parse_smaps_rollup_pss(std::string_view text) noexcept
{
    while (!text.empty()) {
        const std::string_view line = next_line(text);
        if (auto v = field(line, "Pss")) return *v * 1024;
    }
    return std::nullopt;
}

std::optional<StatusFields> parse_status(std::string_view text) noexcept
{
    StatusFields f;
    int found = 0;
    while (!text.empty()) {
        const std::string_view line = next_line(text);
        if (auto v = field(line, "Threads")) {
            f.threads = *v;
            ++found;
        } else if (auto w = field(line, "voluntary_ctxt_switches")) {
            f.voluntary_ctxt = *w;
            ++found;
        } else if (auto x = field(line, "nonvoluntary_ctxt_switches")) {
            f.nonvoluntary_ctxt = *x;
            ++found;
        }
    }
    if (found != 3) return std::nullopt;
    return f;
}

std::optional<std::uint64_t> parse_proc_stat_busy_ticks(std::string_view text) noexcept
{
    std::string_view line = next_line(text);
    if (word(line) != "cpu") return std::nullopt;
    std::uint64_t busy = 0;
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    // irq and softirq are left out: on loopback they are mostly our own traffic.
    for (int i = 0; i < 8; ++i) {
        const auto v = to_u64(word(line));
        if (!v) return i >= 4 ? std::optional<std::uint64_t>(busy) : std::nullopt;
        if (i <= 2 || i == 7) busy += *v;
    }
    return busy;
}

std::optional<std::string> parse_proc_cgroup(std::string_view text, std::string_view controller)
{
    while (!text.empty()) {
        const std::string_view line = next_line(text);
        const auto c1 = line.find(':');
        if (c1 == std::string_view::npos) continue;
        const auto c2 = line.find(':', c1 + 1);
        if (c2 == std::string_view::npos) continue;
        const std::string_view id = line.substr(0, c1);
        const std::string_view controllers = line.substr(c1 + 1, c2 - c1 - 1);
        const std::string_view path = line.substr(c2 + 1);
        if (controller.empty() ? (id == "0" && controllers.empty()) : has_token(controllers, controller))
            return std::string(path);
    }
    return std::nullopt;
}

std::optional<std::string> parse_cgroup_mount(std::string_view text, std::string_view controller)
{
    while (!text.empty()) {
        std::string_view line = next_line(text);
        word(line); // device
        const std::string_view mount_point = word(line);
        const std::string_view type = word(line);
        const std::string_view options = word(line);
        if (controller.empty() ? type == "cgroup2" : (type == "cgroup" && has_token(options, controller)))
            return std::string(mount_point);
    }
    return std::nullopt;
}

} // namespace bench
