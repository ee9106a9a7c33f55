#include "run.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <random>

#include "accounting.hpp"
#include "cgroup.hpp"
#include "papaya/process/temp_dir.hpp"
#include "papaya/stages.hpp"
#include "sampler.hpp"
#include "scheduling.hpp"
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

/// How long a server has to print READY, and to stop after SIGTERM.
constexpr std::chrono::seconds ready_timeout{10};
constexpr std::chrono::seconds stop_grace{3};

bool uses_key(const RunConfig& cfg)
{
    if (cfg.key) return *cfg.key;
    if (cfg.stage >= 0) return papaya::stages.at(static_cast<std::size_t>(cfg.stage)).features.authenticate;
    return cfg.workload != Workload::echo;
}

Fanout fanout_of(Workload workload)
{
    switch (workload) {
    case Workload::echo: return Fanout::self;
    case Workload::chat: return Fanout::all;
    case Workload::append: return Fanout::none;
    }
    return Fanout::none;
}

/// The server's command line: the configured one plus a fresh port, loopback,
/// the chat log and key in @p dir, the stage.
std::vector<std::string> server_argv(const RunConfig& cfg, const papaya::process::TempDir& dir, const std::string& key)
{
    std::vector<std::string> argv = cfg.server;
    argv.insert(argv.end(), {"--port", "0", "--bind", "127.0.0.1", "--log", dir.file("chat.log").string()});
    if (cfg.stage >= 0) argv.insert(argv.end(), {"--stage", std::to_string(cfg.stage)});
    if (cfg.max_line > 0) argv.insert(argv.end(), {"--max-line", std::to_string(cfg.max_line)});
    if (!key.empty()) argv.insert(argv.end(), {"--key-file", papaya::process::write_key_file(dir, key).string()});
    if (::geteuid() == 0) argv.emplace_back("--allow-root");
    return argv;
}

/// What the measured part of a run recorded.
struct Measurement {
    LoadResult outcome;
    std::vector<CpuSample> samples;
    RunSnapshots snapshots;
    StopResult stop;
    std::string cpu_source;
};

/// READY, then the load with CPU samples and tree snapshots around it, then the server stopped.
Measurement measure(const RunConfig& cfg, LoadConfig load, ServerProcess& server, const Cgroup* group,
                    DeliveryTracker& tracker)
{
    Measurement m;
    load.port = server.wait_ready(papaya::process::Deadline{ready_timeout});
    Sampler sampler(group, server.pid(), cfg.interval);
    m.cpu_source = sampler.cpu_source();
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
    m.outcome = run_load(load, tracker, hook);
    sampler.stop();
    m.stop = server.stop(stop_grace);
    m.samples = sampler.samples();
    m.snapshots = {sampler.snapshot(idle_slot), sampler.snapshot(start_slot), sampler.snapshot(end_slot),
                   sampler.snapshot(loaded_slot)};
    return m;
}

} // namespace

RunResult run_once(const RunConfig& cfg)
{
    RunResult r;
    r.label = cfg.label;
    r.stage = cfg.stage;
    r.workload = to_string(cfg.workload);
    r.clients = cfg.load.clients;
    r.started_unix = static_cast<std::int64_t>(std::time(nullptr));

    const papaya::process::TempDir dir{"papaya-bench"};
    LoadConfig load = cfg.load;
    load.nonce = static_cast<std::uint32_t>(std::random_device{}());
    load.fanout = fanout_of(cfg.workload);
    if (uses_key(cfg)) load.key = papaya::process::random_key();

    std::unique_ptr<Cgroup> group;
    if (cfg.use_cgroup)
        group = Cgroup::create("papaya-bench-" + std::to_string(::getpid()) + "-" + papaya::process::random_token(6));
    r.memory_source = group ? group->memory_source() : "";

    const Niceness niceness(cfg.nice);
    const CpuPin pin(cfg.pin ? 1 : -1);
    ServerProcess server({.argv = server_argv(cfg, dir, load.key),
                          .cgroup_procs_files = group ? group->procs_files() : std::vector<std::string>{},
                          .cpu = cfg.pin ? 0 : -1,
                          .nice = cfg.nice});
    DeliveryTracker tracker(load.clients, load.fanout, load.nonce);
    const Measurement m = measure(cfg, load, server, group.get(), tracker);
    r.server_exit_status = m.stop.status.wait_status;
    r.server_stopped_in_time = m.stop.in_time;
    r.cpu_source = m.cpu_source;

    account_load(load, m.outcome, tracker, r);
    account_cpu(m.samples, m.outcome, r);
    account_throughput(cfg.workload, m.outcome, tracker, r);
    account_memory(m.snapshots, r);
    if (cfg.workload != Workload::echo) check_log(dir.file("chat.log").string(), load.nonce, r);
    judge_correctness(r);
    judge_validity(load, cfg.nice, r);
    return r;
}

} // namespace bench
