#pragma once
// The stamp every generated message carries, as one text line the chat servers
// accept unchanged (no NUL, ends in \n, shorter than --max-line):
//   "~pb<nonce> <kind> <sender> <seq> <intended_send_ns> xxxx...\n"
// kind M = a measured message, S = the start barrier. The nonce tells this run's
// lines from anything else in a reused chat log.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

enum class Kind : char { message = 'M', sync = 'S' };

struct Stamp {
    std::uint32_t nonce = 0;
    Kind kind = Kind::message;
    std::uint32_t sender = 0;
    std::uint32_t seq = 0;
    std::int64_t sent_ns = 0; ///< the intended send time (open loop), CLOCK_MONOTONIC
    bool operator==(const Stamp&) const = default;
};

/// Shortest line encode() can produce for any stamp (the header at its widest).
inline constexpr std::size_t min_message_size = 64;

/// Appends the line for @p stamp to @p out, padded with 'x' to exactly @p size
/// bytes including the '\n' (size is raised to min_message_size if smaller).
void encode(const Stamp& stamp, std::size_t size, std::string& out);
/// Parses one line (without its '\n'; a trailing '\r' is tolerated).
/// nullopt when it is not one of ours.
std::optional<Stamp> decode(std::string_view line) noexcept;

/// Splits a byte stream into '\n'-terminated lines, however it was segmented.
class LineSplitter {
public:
    /// Appends @p data; calls @p on_line(std::string_view) for each complete line
    /// (without '\n'). Returns the number of complete lines.
    template <typename F>
    std::size_t feed(std::string_view data, F&& on_line)
    {
        std::size_t lines = 0;
        while (!data.empty()) {
            const auto nl = data.find('\n');
            if (nl == std::string_view::npos) {
                pending_.append(data);
                break;
            }
            if (pending_.empty()) {
                on_line(data.substr(0, nl));
            } else {
                pending_.append(data.substr(0, nl));
                on_line(std::string_view(pending_));
                pending_.clear();
            }
            ++lines;
            data.remove_prefix(nl + 1);
        }
        return lines;
    }
    [[nodiscard]] std::size_t pending_bytes() const noexcept { return pending_.size(); }

private:
    std::string pending_;
};

} // namespace bench
