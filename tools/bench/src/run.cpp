#include "run.hpp"

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <random>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.hpp"
#include "clock.hpp"
#include "file_io.hpp"
#include "papaya/syscall_error.hpp"
#include "sampler.hpp"
#include "server_process.hpp"

namespace bench {

const char* to_string(Workload w) noexcept
{
    switch (w) {
    case Workload::echo: return "echo";
    case Workload::chat: return "chat";
    case Workload::append: return "append";
    }
    return "?";
}

std::optional<Workload> parse_workload(const std::string& name) noexcept
{
    if (name == "echo") return Workload::echo;
    if (name == "chat") return Workload::chat;
    if (name == "append") return Workload::append;
    return std::nullopt;
}

namespace {

// A private directory for the chat log and key, removed with everything in it.
class TempDir {
public:
    TempDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "papaya-bench.XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) papaya::throw_syscall_error("mkdtemp");
        path_ = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

std::string random_key(std::mt19937_64& rng)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string key(128, 'A');
    for (char& c : key) c = alphabet[rng() % (sizeof alphabet - 1)];
    return key;
}

void pin_self(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    papaya::check_syscall(::sched_setaffinity(0, sizeof set, &set), "sched_setaffinity");
}

void unpin_self()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    for (long i = 0; i < n; ++i) CPU_SET(static_cast<int>(i), &set);
    ::sched_setaffinity(0, sizeof set, &set);
}

LatencySummary summarize_latency(const Histogram& h)
{
    LatencySummary s;
    s.count = h.count();
    s.p50_us = static_cast<double>(h.quantile(0.5)) / 1e3;
    s.p90_us = static_cast<double>(h.quantile(0.9)) / 1e3;
    s.p99_us = static_cast<double>(h.quantile(0.99)) / 1e3;
    s.p999_us = static_cast<double>(h.quantile(0.999)) / 1e3;
    s.max_us = static_cast<double>(h.max()) / 1e3;
    return s;
}

// Every message must be in the chat log exactly once (chat and append workloads).
void check_log(const std::string& path, std::uint32_t nonce, const DeliveryCounts& counts, RunResult& r)
{
    const auto text = try_read_file(path);
    if (!text) return;
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> seen;
    std::size_t pos = 0;
    while (pos < text->size()) {
        const auto nl = text->find('\n', pos);
        if (nl == std::string::npos) break;
        const auto st = decode(std::string_view(*text).substr(pos, nl - pos));
        pos = nl + 1;
        if (!st || st->nonce != nonce || st->kind != Kind::message) continue;
        ++r.log_records;
        ++seen[{st->sender, st->seq}];
    }
    for (const auto& [k, n] : seen)
        if (n > 1) r.log_duplicated += static_cast<std::uint64_t>(n - 1);
    r.log_missing = counts.sent > seen.size() ? counts.sent - seen.size() : 0;
    r.log_checked = true;
}

} // namespace

RunResult run_once(const RunConfig& cfg)
{
    RunResult r;
    r.label = cfg.label;
    r.workload = to_string(cfg.workload);
    r.clients = cfg.load.clients;
    r.started_unix = static_cast<std::int64_t>(std::time(nullptr));

    std::mt19937_64 rng(std::random_device{}());
    TempDir dir;
    LoadConfig load = cfg.load;
    load.nonce = static_cast<std::uint32_t>(rng());
    load.fanout = cfg.workload == Workload::echo ? Fanout::self
                  : cfg.workload == Workload::chat ? Fanout::all
                                                   : Fanout::none;

    std::vector<std::string> argv = cfg.server;
    argv.insert(argv.end(), {"--port", "0", "--bind", "127.0.0.1", "--log", dir.path() + "/chat.log"});
    if (cfg.stage >= 0) argv.insert(argv.end(), {"--stage", std::to_string(cfg.stage)});
    if (cfg.max_line > 0) argv.insert(argv.end(), {"--max-line", std::to_string(cfg.max_line)});
    const bool key = cfg.key.value_or(cfg.stage >= 0 ? cfg.stage >= 4 : cfg.workload != Workload::echo);
    if (key) {
        load.key = random_key(rng);
        const std::string key_path = dir.path() + "/key";
        {
            const mode_t old = ::umask(077);
            std::FILE* f = std::fopen(key_path.c_str(), "w");
            ::umask(old);
            if (!f) papaya::throw_syscall_error("fopen");
            std::fprintf(f, "%s\n", load.key.c_str());
            std::fclose(f);
        }
        argv.insert(argv.end(), {"--key-file", key_path});
    }
    if (::geteuid() == 0) argv.emplace_back("--allow-root");

    std::unique_ptr<Cgroup> group;
    if (cfg.use_cgroup)
        group = Cgroup::create("papaya-bench-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000));
    r.memory_source = group ? group->memory_source() : "";

    SpawnOptions spawn;
    spawn.argv = argv;
    if (group) spawn.cgroup_procs_files = group->procs_files();
    spawn.cpu = cfg.pin ? 0 : -1;
    spawn.nice = cfg.nice;
    const std::string nice_text = std::to_string(cfg.nice);
    spawn.nice_text = nice_text.c_str();
    if (cfg.nice != 0) try_write_file("/proc/self/autogroup", nice_text); // the generator's session
    // The calling thread's priority (Linux: per thread); the sampler threads inherit it.
    const int old_nice = ::getpriority(PRIO_PROCESS, 0);
    // A priority we may not take (not root) is not worth failing the run for.
    if (cfg.nice != 0 && ::setpriority(PRIO_PROCESS, 0, cfg.nice) != 0 && errno != EACCES && errno != EPERM)
        papaya::throw_syscall_error("setpriority");
    struct RestoreNice {
        int value;
        bool active;
        ~RestoreNice() { if (active) ::setpriority(PRIO_PROCESS, 0, value); }
    } restore_nice{old_nice, cfg.nice != 0};
    if (cfg.pin) pin_self(1);

    ServerProcess server(spawn);
    load.port = server.wait_ready(10000);

    Sampler sampler(group.get(), server.pid(), cfg.interval_ms);
    r.cpu_source = sampler.cpu_source();
    const int idle_slot = sampler.request_snapshot();
    int start_slot = -1;
    int end_slot = -1;
    int loaded_slot = -1;
    // Snapshots are taken by the sampling thread; the last one (memory with every
    // client still connected) must finish before the generator hangs up.
    const WindowHook hook = [&](LoadEvent e) {
        switch (e) {
        case LoadEvent::window_start: start_slot = sampler.request_snapshot(); break;
        case LoadEvent::window_end: end_slot = sampler.request_snapshot(); break;
        case LoadEvent::before_close:
            loaded_slot = sampler.request_snapshot();
            sampler.wait_snapshots();
            break;
        }
    };

    DeliveryTracker tracker(load.clients, load.fanout, load.nonce);
    LoadResult lr;
    try {
        lr = run_load(load, tracker, hook);
    } catch (...) {
        if (cfg.pin) unpin_self();
        throw;
    }
    sampler.stop();
    const auto [status, in_time] = server.stop(3000);
    r.server_exit_status = status;
    r.server_stopped_in_time = in_time;
    if (cfg.pin) unpin_self();

    // --- accounting ---
    r.counts = tracker.counts();
    r.latency = summarize_latency(tracker.latency());
    r.fanout = summarize_latency(tracker.fanout_completion());
    r.drained = lr.drained;
    r.disconnects = lr.disconnects;
    r.ramp_s = lr.ramp_s;
    r.barrier_s = lr.barrier_s;
    r.intended_rate = lr.intended_rate;
    r.achieved_rate = lr.achieved_rate;
    r.send_lag_p99_us = static_cast<double>(lr.send_lag.quantile(0.99)) / 1e3;
    r.max_backlog_bytes = lr.max_backlog_bytes;
    r.generator_cpu_percent = 100.0 * static_cast<double>(lr.generator_cpu_ns) / (load.measure_s * 1e9);
    r.generator_wait_percent = 100.0 * static_cast<double>(lr.generator_wait_ns) / (load.measure_s * 1e9);

    const auto samples = sampler.samples();
    std::optional<CpuSample> first, last;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const auto& a = samples[i - 1];
        const auto& b = samples[i];
        if (a.t_ns < lr.measure_start_ns || b.t_ns > lr.measure_end_ns || b.t_ns <= a.t_ns) continue;
        r.cpu_percent.push_back(100.0 * static_cast<double>(b.cpu_ns - a.cpu_ns) / static_cast<double>(b.t_ns - a.t_ns));
        if (!first) first = a;
        last = b;
    }
    r.cpu = summarize(r.cpu_percent);
    if (first && last) {
        r.window_s = static_cast<double>(last->t_ns - first->t_ns) / 1e9;
        r.server_cpu_s = static_cast<double>(last->cpu_ns - first->cpu_ns) / 1e9;
        r.system_busy_percent = 100.0 * static_cast<double>(last->system_busy_ns - first->system_busy_ns) /
                                static_cast<double>(last->t_ns - first->t_ns);
        r.other_load_percent = std::max(0.0, r.system_busy_percent - r.cpu.mean - r.generator_cpu_percent);
    }
    const double measure_s = static_cast<double>(lr.measure_end_ns - lr.measure_start_ns) / 1e9;
    // append (stage 2) delivers nothing: its unit of work is one line appended to the log.
    r.deliveries_per_s = cfg.workload == Workload::append ? static_cast<double>(lr.sent_in_window) / measure_s
                                                          : static_cast<double>(tracker.delivered_in_window()) / measure_s;
    if (r.deliveries_per_s > 0 && r.window_s > 0)
        r.cpu_us_per_delivery = (r.server_cpu_s / r.window_s) / r.deliveries_per_s * 1e6;

    const auto idle = sampler.snapshot(idle_slot);
    const auto at_start = sampler.snapshot(start_slot);
    const auto at_end = sampler.snapshot(end_slot);
    const auto loaded = sampler.snapshot(loaded_slot);
    if (idle) {
        r.pss_idle = idle->pss_bytes;
        r.cgmem_idle = idle->cgroup_memory_bytes.value_or(0);
    }
    if (loaded) {
        r.pss_loaded = loaded->pss_bytes;
        r.cgmem_loaded = loaded->cgroup_memory_bytes.value_or(0);
        r.processes = loaded->processes;
        r.threads = loaded->threads;
        r.mem_per_client = (static_cast<double>(r.pss_loaded) - static_cast<double>(r.pss_idle)) / r.clients;
    }
    if (at_start && at_end && at_end->t_ns > at_start->t_ns && at_end->context_switches >= at_start->context_switches)
        r.context_switches_per_s = static_cast<double>(at_end->context_switches - at_start->context_switches) /
                                   (static_cast<double>(at_end->t_ns - at_start->t_ns) / 1e9);

    if (cfg.workload != Workload::echo) check_log(dir.path() + "/chat.log", load.nonce, r.counts, r);

    // --- verdicts ---
    auto error = [&](const std::string& e) {
        r.correct = false;
        r.errors += (r.errors.empty() ? "" : "; ") + e;
    };
    const auto& c = r.counts;
    if (c.lost) error(std::to_string(c.lost) + " deliveries LOST");
    if (c.duplicated) error(std::to_string(c.duplicated) + " deliveries DUPLICATED");
    if (c.out_of_order) error(std::to_string(c.out_of_order) + " deliveries OUT OF ORDER");
    if (c.phantom) error(std::to_string(c.phantom) + " corrupted or unknown messages");
    if (c.foreign_lines) error(std::to_string(c.foreign_lines) + " foreign lines");
    if (lr.disconnects) error(std::to_string(lr.disconnects) + " connections closed by the server");
    if (r.log_checked && r.log_missing) error(std::to_string(r.log_missing) + " messages MISSING from the chat log");
    if (r.log_checked && r.log_duplicated) error(std::to_string(r.log_duplicated) + " DUPLICATE records in the chat log");
    if (c.sent == 0) error("nothing was sent");

    auto invalid = [&](const std::string& why) {
        r.valid = false;
        r.invalid_reason += (r.invalid_reason.empty() ? "" : "; ") + why;
    };
    const double lag_limit_us = std::max(5000.0, 5.0 * static_cast<double>(load.tick_ns) / 1e3);
    if (r.send_lag_p99_us > lag_limit_us)
        invalid("generator late: send lag p99 " + std::to_string(static_cast<long>(r.send_lag_p99_us)) + " us");
    if (r.generator_wait_percent > 10)
        invalid("generator starved: runnable but not running " + std::to_string(static_cast<int>(r.generator_wait_percent)) + "% of the window");
    if (r.generator_cpu_percent > 90) invalid("generator CPU " + std::to_string(static_cast<int>(r.generator_cpu_percent)) + "%");
    if (r.intended_rate > 0 && r.achieved_rate < 0.95 * r.intended_rate) invalid("achieved rate below 95% of intended");
    // Other work on the machine is recorded (other_load_pct) and invalidates a run only
    // through its effect on the generator, unless nothing protects the run from it.
    if (r.other_load_percent > 25 && cfg.nice >= 0)
        invalid("machine busy with other work: " + std::to_string(static_cast<int>(r.other_load_percent)) + "% of a core");
    if (r.cpu_percent.size() < 2) invalid("fewer than 2 CPU samples in the window");
    return r;
}

} // namespace bench
