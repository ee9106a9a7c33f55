#include "codec.hpp"

#include <charconv>
#include <cstdio>

namespace bench {

namespace {
constexpr std::string_view magic = "~pb";

template <typename T>
bool take_number(std::string_view& s, T& value, int base = 10) noexcept
{
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, value, base);
    if (ec != std::errc{} || ptr == s.data()) return false;
    s.remove_prefix(static_cast<std::size_t>(ptr - s.data()));
    return true;
}

bool take_space(std::string_view& s) noexcept
{
    if (s.empty() || s.front() != ' ') return false;
    s.remove_prefix(1);
    return true;
}
} // namespace

void encode(const Stamp& stamp, std::size_t size, std::string& out)
{
    if (size < min_message_size) size = min_message_size;
    char head[min_message_size];
    const int n = std::snprintf(head, sizeof head, "~pb%08x %c %u %u %lld ", stamp.nonce, static_cast<char>(stamp.kind),
                                stamp.sender, stamp.seq, static_cast<long long>(stamp.sent_ns));
    const auto len = static_cast<std::size_t>(n);
    out.append(head, len);
    out.append(size - len - 1, 'x');
    out.push_back('\n');
}

std::optional<Stamp> decode(std::string_view line) noexcept
{
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, magic.size()) != magic) return std::nullopt;
    line.remove_prefix(magic.size());
    Stamp st;
    if (line.size() < 8) return std::nullopt;
    std::string_view hex = line.substr(0, 8);
    if (!take_number(hex, st.nonce, 16) || !hex.empty()) return std::nullopt;
    line.remove_prefix(8);
    if (!take_space(line) || line.empty()) return std::nullopt;
    const char kind = line.front();
    if (kind != 'M' && kind != 'S') return std::nullopt;
    st.kind = static_cast<Kind>(kind);
    line.remove_prefix(1);
    long long sent = 0;
    if (!take_space(line) || !take_number(line, st.sender) || !take_space(line) || !take_number(line, st.seq) ||
        !take_space(line) || !take_number(line, sent))
        return std::nullopt;
    if (!line.empty() && line.front() != ' ') return std::nullopt;
    for (char c : line.substr(line.empty() ? 0 : 1))
        if (c != 'x') return std::nullopt;
    st.sent_ns = sent;
    return st;
}

} // namespace bench
