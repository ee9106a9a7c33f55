#pragma once
// Correctness and latency accounting of every generated message: who should
// receive it (the sender only for echo, every client for chat), who did, how
// late, and any loss, duplicate or out-of-order delivery.
#include <cstdint>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "codec.hpp"
#include "histogram.hpp"

namespace bench {

enum class Fanout { self, all, none };

struct DeliveryCounts {
    std::uint64_t sent = 0;      ///< messages handed to the kernel
    std::uint64_t expected = 0;  ///< deliveries owed for them
    std::uint64_t delivered = 0; ///< distinct deliveries
    std::uint64_t lost = 0;      ///< expected - delivered, at the end
    std::uint64_t duplicated = 0;
    std::uint64_t out_of_order = 0;  ///< arrived after a later message of the same sender
    std::uint64_t phantom = 0;       ///< our nonce but never sent (corruption)
    std::uint64_t foreign_lines = 0; ///< lines that are not ours (history of an old log, garbage)
};

class DeliveryTracker {
public:
    DeliveryTracker(std::uint32_t clients, Fanout fanout, std::uint32_t nonce);

    /// @p measured: the message's intended send time lies in the measurement window.
    void on_send(std::uint32_t sender, std::uint32_t seq, std::int64_t intended_ns, bool measured);
    /// One received line, decoded (nullopt when it was not a stamp).
    void on_stamp(std::uint32_t recipient, const std::optional<Stamp>& stamp, std::int64_t recv_ns);
    void on_line(std::uint32_t recipient, std::string_view line, std::int64_t recv_ns)
    {
        on_stamp(recipient, decode(line), recv_ns);
    }
    void set_window(std::int64_t start_ns, std::int64_t end_ns) noexcept
    {
        win_start_ = start_ns;
        win_end_ = end_ns;
    }

    /// Deliveries still owed.
    [[nodiscard]] std::uint64_t outstanding() const noexcept { return counts_.expected - counts_.delivered; }
    [[nodiscard]] DeliveryCounts counts() const noexcept;
    /// Distinct deliveries received inside the window (by receive time).
    [[nodiscard]] std::uint64_t delivered_in_window() const noexcept { return in_window_; }
    [[nodiscard]] const Histogram& latency() const noexcept { return latency_; }
    [[nodiscard]] const Histogram& fanout_completion() const noexcept { return fanout_; }
    [[nodiscard]] std::uint32_t recipients_per_message() const noexcept;

private:
    struct Message {
        std::int64_t intended_ns = 0;
        std::uint32_t received = 0;
        std::int64_t last_recv_ns = 0;
        bool measured = false;
    };

    bool expects(std::uint32_t recipient, std::uint32_t sender) const noexcept;

    std::uint32_t clients_;
    Fanout fanout_mode_;
    std::uint32_t nonce_;
    std::vector<std::vector<Message>> messages_;   // [sender][seq]
    std::vector<std::vector<std::uint32_t>> next_; // [recipient][sender slot]: next expected seq
    std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> gaps_; // (recipient, sender, seq)
    DeliveryCounts counts_;
    std::int64_t win_start_ = 0;
    std::int64_t win_end_ = 0;
    std::uint64_t in_window_ = 0;
    Histogram latency_;
    Histogram fanout_;
};

} // namespace bench
