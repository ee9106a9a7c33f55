#include "status_line.hpp"

#include <vector>

#include "utf8.hpp"

namespace papaya::client {

namespace {

std::string state_text(LinkState state)
{
    switch (state) {
    case LinkState::connecting: return "connecting...";
    case LinkState::connected: return "connected";
    case LinkState::disconnected: return "DISCONNECTED";
    }
    return {};
}

/// The longest prefix of @p text that fits @p width columns.
std::string fit(const std::string& text, std::size_t width)
{
    std::size_t end = 0;
    std::size_t columns = 0;
    while (end < text.size()) {
        const std::size_t next = next_char(text, end);
        const std::size_t w = text_width(std::string_view(text).substr(end, next - end));
        if (columns + w > width) break;
        columns += w;
        end = next;
    }
    return text.substr(0, end);
}

} // namespace

std::string status_text(const StatusInfo& info, std::size_t width)
{
    const std::string left = " " + state_text(info.state) + " | " + info.name + " @ " + info.server + " ";
    // The hint on the right, longest first: the first that fits is shown.
    std::vector<std::string> hints;
    if (info.state == LinkState::disconnected) {
        hints = {"r or /reconnect: connect again | /quit ", "r: reconnect ", "r "};
    } else if (info.scrolled) {
        const std::string news = info.unseen > 0 ? std::to_string(info.unseen) + " new" : std::string{};
        hints = {"scrolled back" + (news.empty() ? "" : ", " + news) + " | PgDn ",
                 (news.empty() ? "scrolled" : news) + " | PgDn ", "PgDn "};
    } else {
        hints = {"PgUp: scroll back | /help ", "/help "};
    }
    for (const std::string& right : hints) {
        const std::size_t used = text_width(left) + text_width(right);
        if (used <= width) return left + std::string(width - used, ' ') + right;
    }
    return fit(left, width);
}

} // namespace papaya::client
