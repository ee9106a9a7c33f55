#pragma once
// The floor: what the kernel charges to deliver one line to one client over
// loopback TCP with no server logic in the way. papaya-floor (one process, N
// accepted connections, one fixed line written to each in turn, in a tight
// loop) is measured like a server (its own cgroup, pinned, reniced) while this
// process drains the connections; every chat server's CPU per delivery is then
// also shown as a multiple of this one.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace bench {

/// The line papaya-floor writes: @p size bytes, newline included (at least 8).
/// @throws std::invalid_argument for a smaller size.
std::string floor_line(std::size_t size);

struct FloorConfig {
    std::vector<std::string> writer; ///< papaya-floor's argv (its options are added)
    std::uint32_t clients = 1;
    std::size_t size = 64;
    double warmup_s = 1;
    double measure_s = 5;
    bool pin = false; ///< writer on cpu 0, reader (this process) on cpu 1
    int nice = 0;
    bool use_cgroup = true;
};

struct FloorResult {
    std::uint32_t clients = 0;
    std::size_t size = 0;
    std::string cpu_source;
    double window_s = 0;
    std::uint64_t deliveries = 0; ///< whole lines read in the window
    double deliveries_per_s = 0;
    double writer_cpu_s = 0;
    double writer_cpu_percent = 0; ///< of one core, over the window
    double cpu_us_per_delivery = 0;
    double context_switches_per_delivery = 0;
    double reader_cpu_percent = 0; ///< this process, of one core
    /// The writer waited for the reader (under 90 % of a core): the reader set
    /// the pace, so the figure is not the writer's tight loop.
    bool reader_bound = false;
    bool correct = true; ///< every connection carried whole copies of the line, and ended
    std::string errors;
};

/// One floor point: starts papaya-floor, connects, drains through the warm-up
/// and the window, stops it and checks every byte.
/// @throws std::runtime_error or std::system_error when it cannot be set up.
FloorResult measure_floor(const FloorConfig& config);

/// The floor at each client count, @p repeat runs each, as a table for a
/// person on @p out; the runs as JSON (an array of objects) in @p json_path
/// when it is not empty. Exit status: 0, or 1 when a run was not correct.
int run_floor(const FloorConfig& config, const std::vector<std::uint32_t>& clients, int repeat,
              const std::string& json_path, std::ostream& out);

/// Reads back the runs run_floor wrote to a JSON file (one object per line, as
/// it writes them): per client count, the median CPU per delivery of its
/// correct runs that the writer's loop paced (reader-bound runs are left out).
/// @throws std::runtime_error when the file cannot be read or holds no such run.
std::map<std::uint32_t, double> read_floor_medians(const std::string& json_path);

} // namespace bench
