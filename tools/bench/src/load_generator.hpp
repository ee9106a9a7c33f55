#pragma once
// Open-loop load generator (wrk2's rule: every message has an intended send time
// on a fixed schedule, and latency is measured from that time, so a stalled
// server cannot hide its stall by slowing the generator down). One thread, one
// epoll, non-blocking sockets: 1000 clients from one process.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "delivery_tracker.hpp"
#include "histogram.hpp"

namespace bench {

struct LoadConfig {
    int port = 0;
    std::uint32_t clients = 1;
    Fanout fanout = Fanout::self; ///< echo = self, chat = all, append = none
    double rate = 10;             ///< messages per second per client
    std::size_t size = 64;        ///< bytes per message, '\n' included
    double connect_rate = 500;    ///< new connections per second during the ramp
    double warmup_s = 1;
    double measure_s = 5;
    double drain_s = 3;               ///< longest wait for owed deliveries after the last send
    std::int64_t tick_ns = 1'000'000; ///< send granularity: due messages go out in one write per tick
    std::string key;                  ///< sent first on every connection when non-empty
    std::uint32_t nonce = 0;
    /// connect + start barrier, beyond the ramp itself (clients / connect_rate seconds)
    double setup_timeout_s = 20;
};

struct LoadResult {
    std::int64_t measure_start_ns = 0;
    std::int64_t measure_end_ns = 0;
    std::uint64_t sent_in_window = 0;    ///< messages whose intended time is in the window
    double intended_rate = 0;            ///< messages/s over all clients
    double achieved_rate = 0;            ///< messages handed to write(2) per s, in the window
    Histogram send_lag;                  ///< actual write time - intended time (generator lateness)
    std::int64_t generator_cpu_ns = 0;   ///< this process's CPU over the window
    std::int64_t generator_wait_ns = 0;  ///< time the loop's thread sat runnable but not running (schedstat)
    std::uint64_t max_backlog_bytes = 0; ///< largest unsent output of one client (server backpressure)
    std::uint64_t disconnects = 0;       ///< connections the server closed or reset
    bool drained = false;                ///< every owed delivery arrived before drain_s
    double ramp_s = 0;
    double barrier_s = 0;
};

enum class LoadEvent { window_start, window_end, before_close };
/// Called at the start and the end of the measurement window, and once more
/// after the drain while every client is still connected (for snapshots).
using WindowHook = std::function<void(LoadEvent)>;

/// Runs the whole load: ramp, start barrier, warm-up, measurement, drain.
/// Throws on setup failure (refused connections, barrier timeout).
LoadResult run_load(const LoadConfig& config, DeliveryTracker& tracker, const WindowHook& hook);

} // namespace bench
