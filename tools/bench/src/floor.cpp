#include "floor.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>

#include "cgroup.hpp"
#include "clock.hpp"
#include "connection.hpp"
#include "papaya/process/json.hpp"
#include "papaya/process/temp_dir.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"
#include "report.hpp"
#include "sampler.hpp"
#include "scheduling.hpp"
#include "server_process.hpp"
#include "statistics.hpp"

namespace bench {

std::string floor_line(std::size_t size)
{
    constexpr std::string_view head = "~floor ";
    if (size < head.size() + 1) throw std::invalid_argument("a floor line has at least 8 bytes");
    std::string line(head);
    line.resize(size - 1, 'x');
    line += '\n';
    return line;
}

namespace {

constexpr std::chrono::seconds ready_timeout{10};
constexpr std::chrono::seconds stop_grace{3};
constexpr std::chrono::seconds connect_timeout{10};
/// Under this share of a core the writer spent time waiting for the reader.
constexpr double writer_busy_percent = 90;

/// One connection as the reader sees it: where in the line its next byte
/// falls, and whether the writer has closed it.
struct Connection {
    papaya::UniqueFd fd;
    std::size_t offset = 0;
    bool ended = false;
    bool foreign = false; ///< carried a byte that is not the line's
};

/// Reads every connection through an epoll, checking each byte against the
/// line and counting whole lines.
class Reader {
public:
    Reader(std::uint16_t port, std::uint32_t clients, std::string line)
        : line_(std::move(line)), epoll_(papaya::check_syscall(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1"))
    {
        connections_.reserve(clients);
        open_ = clients;
        for (std::uint32_t i = 0; i < clients; ++i) {
            Connection& c = connections_.emplace_back();
            c.fd = papaya::client::connect_to("127.0.0.1", port, connect_timeout);
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.u32 = i;
            papaya::check_syscall(::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, c.fd.get(), &event), "epoll_ctl");
        }
    }

    /// Reads until @p until_ns (CLOCK_MONOTONIC), or until every connection
    /// has ended when @p until_ended.
    void drain(std::int64_t until_ns, bool until_ended = false)
    {
        std::array<epoll_event, 256> events{};
        while (!(until_ended && open_ == 0)) {
            const std::int64_t left_ns = until_ns - now_ns();
            if (left_ns <= 0) return;
            const int timeout_ms = static_cast<int>(std::min<std::int64_t>(left_ns / 1'000'000 + 1, 1000));
            const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), timeout_ms);
            if (n < 0) {
                if (errno == EINTR) continue;
                papaya::throw_syscall_error("epoll_wait");
            }
            for (int i = 0; i < n; ++i) read_from(events[static_cast<std::size_t>(i)].data.u32);
        }
    }

    [[nodiscard]] std::uint64_t lines() const noexcept { return lines_; }

    /// "" when every connection ended after a whole line and carried nothing
    /// but copies of it; else how many connections did not, and how.
    [[nodiscard]] std::string problems() const
    {
        std::string why;
        std::size_t open = 0;
        std::size_t cut = 0;
        std::size_t foreign = 0;
        for (const auto& c : connections_) {
            open += !c.ended;
            cut += c.ended && c.offset != 0;
            foreign += c.foreign;
        }
        if (foreign > 0) why += std::to_string(foreign) + " connection(s) carried bytes that are not the line; ";
        if (open > 0) why += std::to_string(open) + " connection(s) not closed by the writer; ";
        if (cut > 0) why += std::to_string(cut) + " connection(s) ended in the middle of a line; ";
        return why;
    }

private:
    void read_from(std::uint32_t index)
    {
        Connection& c = connections_.at(index);
        for (;;) {
            const ssize_t n = ::recv(c.fd.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            if (n <= 0) { // end of stream, or a reset: the writer is gone
                end(c);
                return;
            }
            check(c, std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
        }
    }

    void check(Connection& c, std::string_view bytes)
    {
        while (!bytes.empty()) {
            const std::size_t take = std::min(bytes.size(), line_.size() - c.offset);
            c.foreign |= bytes.substr(0, take) != std::string_view(line_).substr(c.offset, take);
            c.offset += take;
            bytes.remove_prefix(take);
            if (c.offset == line_.size()) {
                c.offset = 0;
                ++lines_;
            }
        }
    }

    void end(Connection& c)
    {
        if (c.ended) return;
        c.ended = true;
        --open_;
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, c.fd.get(), nullptr); // closing it would do the same
    }

    std::string line_;
    std::vector<char> buffer_ = std::vector<char>(64 * 1024);
    papaya::UniqueFd epoll_;
    std::vector<Connection> connections_;
    std::size_t open_ = 0; // connections the writer has not closed
    std::uint64_t lines_ = 0;
};

std::int64_t seconds_ns(double s) { return static_cast<std::int64_t>(s * 1e9); }

std::string json_of(const FloorResult& r)
{
    return std::string("{") + "\"clients\": " + std::to_string(r.clients) + ", \"size\": " + std::to_string(r.size) +
           ", \"cpu_source\": " + papaya::process::json_string(r.cpu_source) +
           ", \"window_s\": " + format_number(r.window_s) + ", \"deliveries\": " + std::to_string(r.deliveries) +
           ", \"deliveries_per_s\": " + format_number(r.deliveries_per_s) +
           ", \"writer_cpu_s\": " + format_number(r.writer_cpu_s) +
           ", \"writer_cpu_percent\": " + format_number(r.writer_cpu_percent) +
           ", \"cpu_us_per_delivery\": " + format_number(r.cpu_us_per_delivery) +
           ", \"context_switches_per_delivery\": " + format_number(r.context_switches_per_delivery) +
           ", \"reader_cpu_percent\": " + format_number(r.reader_cpu_percent) +
           ", \"reader_bound\": " + (r.reader_bound ? "true" : "false") +
           ", \"correct\": " + (r.correct ? "true" : "false") +
           ", \"errors\": " + papaya::process::json_string(r.errors) + "}";
}

} // namespace

FloorResult measure_floor(const FloorConfig& config)
{
    FloorResult r;
    r.clients = config.clients;
    r.size = config.size;
    const std::string line = floor_line(config.size);

    std::unique_ptr<Cgroup> group;
    if (config.use_cgroup)
        group = Cgroup::create("papaya-floor-" + std::to_string(::getpid()) + "-" + papaya::process::random_token(6));
    const Niceness niceness(config.nice);
    const CpuPin pin(config.pin ? 1 : -1);
    std::vector<std::string> argv = config.writer;
    argv.insert(argv.end(), {"--port", "0", "--bind", "127.0.0.1", "--clients", std::to_string(config.clients),
                             "--size", std::to_string(config.size)});
    ServerProcess writer({.argv = argv,
                          .cgroup_procs_files = group ? group->procs_files() : std::vector<std::string>{},
                          .cpu = config.pin ? 0 : -1,
                          .nice = config.nice});
    const std::uint16_t port = writer.wait_ready(papaya::process::Deadline{ready_timeout});
    Reader reader(port, config.clients, line);
    r.cpu_source = cpu_source_of(group.get()); // one snapshot at each end of the window: no sampling thread

    reader.drain(now_ns() + seconds_ns(config.warmup_s));
    const TreeSnapshot before = snapshot_tree(group.get(), writer.pid());
    const std::uint64_t lines_before = reader.lines();
    const std::int64_t reader_cpu_before = process_cpu_ns();
    const std::int64_t start = now_ns();
    reader.drain(start + seconds_ns(config.measure_s));
    const TreeSnapshot after = snapshot_tree(group.get(), writer.pid());
    const std::int64_t end = now_ns();
    r.deliveries = reader.lines() - lines_before;
    const std::int64_t reader_cpu = process_cpu_ns() - reader_cpu_before;

    // SIGTERM ends the writer after the line it is writing: read on until
    // every connection is closed, so that it can finish it.
    ::kill(writer.pid(), SIGTERM);
    reader.drain(now_ns() + seconds_ns(5), true);
    const StopResult stopped = writer.stop(stop_grace);

    r.window_s = static_cast<double>(end - start) / 1e9;
    r.writer_cpu_s = static_cast<double>(after.cpu_ns - before.cpu_ns) / 1e9;
    r.writer_cpu_percent = r.window_s > 0 ? 100 * r.writer_cpu_s / r.window_s : 0;
    r.reader_cpu_percent = r.window_s > 0 ? 100 * static_cast<double>(reader_cpu) / 1e9 / r.window_s : 0;
    if (r.deliveries > 0) {
        const auto n = static_cast<double>(r.deliveries);
        r.deliveries_per_s = n / r.window_s;
        r.cpu_us_per_delivery = r.writer_cpu_s * 1e6 / n;
        r.context_switches_per_delivery = static_cast<double>(after.context_switches - before.context_switches) / n;
    }
    r.reader_bound = r.writer_cpu_percent < writer_busy_percent;
    r.errors = reader.problems();
    if (r.deliveries == 0) r.errors += "no line arrived in the window; ";
    if (!stopped.in_time || stopped.status.wait_status != 0) r.errors += "papaya-floor did not exit 0 on SIGTERM; ";
    r.correct = r.errors.empty();
    return r;
}

int run_floor(const FloorConfig& config, const std::vector<std::uint32_t>& clients, int repeat,
              const std::string& json_path, std::ostream& out)
{
    out << "floor: papaya-floor writes one " << config.size
        << "-byte line to each of N loopback connections in turn, in a tight loop; " << repeat << " runs per point\n";
    std::array<char, 256> row{};
    std::snprintf(row.data(), row.size(), "%7s  %12s  %-28s  %15s  %12s  %12s\n", "clients", "deliveries/s",
                  "CPU us/delivery (min..max)", "ctx sw/delivery", "writer CPU %", "reader CPU %");
    out << row.data();
    std::vector<FloorResult> runs;
    int status = 0;
    std::string source;
    for (const std::uint32_t n : clients) {
        std::vector<double> cpu, rate, switches, writer_cpu, reader_cpu;
        std::size_t reader_bound = 0;
        for (int i = 0; i < repeat; ++i) {
            FloorConfig point = config;
            point.clients = n;
            FloorResult r = measure_floor(point);
            if (!r.correct) {
                out << "  INCORRECT run at " << n << " clients: " << r.errors << "\n";
                status = 1;
            }
            cpu.push_back(r.cpu_us_per_delivery);
            rate.push_back(r.deliveries_per_s);
            switches.push_back(r.context_switches_per_delivery);
            writer_cpu.push_back(r.writer_cpu_percent);
            reader_cpu.push_back(r.reader_cpu_percent);
            reader_bound += r.reader_bound;
            source = r.cpu_source;
            runs.push_back(std::move(r));
        }
        const Summary spread = summarize(cpu);
        std::array<char, 64> cpu_text{};
        std::snprintf(cpu_text.data(), cpu_text.size(), "%.3f (%.3f..%.3f)", median(cpu), spread.min, spread.max);
        std::snprintf(row.data(), row.size(), "%7u  %12.0f  %-28s  %15.4f  %12.0f  %12.0f%s\n", n, median(rate),
                      cpu_text.data(), median(switches), median(writer_cpu), median(reader_cpu),
                      reader_bound > 0 ? "  reader-bound in some runs: the writer waited" : "");
        out << row.data();
    }
    out << "CPU: " << source << "\n";
    if (!json_path.empty()) {
        std::ofstream file(json_path);
        file << "[\n";
        for (std::size_t i = 0; i < runs.size(); ++i)
            file << "  " << json_of(runs[i]) << (i + 1 < runs.size() ? ",\n" : "\n");
        file << "]\n";
        if (!file) throw std::runtime_error("cannot write " + json_path);
    }
    return status;
}

std::map<std::uint32_t, double> read_floor_medians(const std::string& json_path)
{
    std::ifstream file(json_path);
    if (!file) throw std::runtime_error("cannot read the floor's runs from " + json_path);
    // The value after "key": in one line json_of wrote; nullopt when absent.
    const auto field = [](const std::string& line, const std::string& key) -> std::optional<std::string> {
        const std::string tag = "\"" + key + "\": ";
        const auto at = line.find(tag);
        if (at == std::string::npos) return std::nullopt;
        const auto begin = at + tag.size();
        return line.substr(begin, line.find_first_of(",}", begin) - begin);
    };
    std::map<std::uint32_t, std::vector<double>> runs;
    std::string line;
    while (std::getline(file, line)) {
        const auto clients = field(line, "clients");
        const auto us = field(line, "cpu_us_per_delivery");
        if (!clients || !us) continue; // the array's brackets
        if (field(line, "correct") != "true" || field(line, "reader_bound") != "false") continue;
        runs[static_cast<std::uint32_t>(std::stoul(*clients))].push_back(std::stod(*us));
    }
    if (runs.empty())
        throw std::runtime_error(json_path + ": no correct floor run (written by papaya-bench floor --json)");
    std::map<std::uint32_t, double> medians;
    for (auto& [clients, values] : runs) medians[clients] = median(values);
    return medians;
}

} // namespace bench
