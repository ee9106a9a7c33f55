#include "options.hpp"

#include "papaya/process/words.hpp"
#include "papaya/stages.hpp"

namespace bench {

namespace {

std::string_view workload_of_stage(int stage) { return papaya::stages.at(static_cast<std::size_t>(stage)).workload; }

std::string_view key_of_stage(int stage)
{
    return papaya::stages.at(static_cast<std::size_t>(stage)).features.authenticate ? "a key" : "no key";
}

std::string basename_of(const std::string& path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string stage_range(int first, int last)
{
    return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

Workload default_workload(const CommonOptions& o)
{
    if (!o.workload.empty()) return *parse_workload(o.workload);
    if (o.stage >= 0) {
        if (const auto workload = parse_workload(std::string(workload_of_stage(o.stage)))) return *workload;
        throw std::runtime_error("labs/stages.json: stage " + std::to_string(o.stage) + " has an unknown workload");
    }
    return Workload::echo;
}

} // namespace

std::string stages_by(std::string_view (*fact)(int stage))
{
    std::string text;
    int first = 0;
    for (int stage = 0; stage <= papaya::last_stage; ++stage) {
        if (stage < papaya::last_stage && fact(stage + 1) == fact(stage)) continue;
        text += (text.empty() ? "" : ", ") + std::string(fact(stage)) + (first == 0 ? " for stages " : " for ") +
                stage_range(first, stage);
        first = stage + 1;
    }
    return text;
}

void add_common_options(CLI::App* app, CommonOptions& o)
{
    app->add_option("--workload", o.workload,
                    "echo | chat | append (default: the stage's, " + stages_by(workload_of_stage) +
                        "; echo without --stage)")
        ->check(CLI::IsMember({"echo", "chat", "append"}));
    app->add_option("--stage", o.stage,
                    "pass --stage N to the server(s), N from 0 to " + std::to_string(papaya::last_stage))
        ->check(CLI::Range(0, papaya::last_stage));
    app->add_option("--rate", o.rate, "messages per second per client (default: 1 Mbit/s worth for echo, 10 for chat)");
    app->add_option("--bandwidth", o.bandwidth,
                    "bits per second per client (sets --rate from --size), like tcpkali --channel-bandwidth-upstream");
    app->add_option("--size", o.size, "bytes per message including the newline (min 64)")->check(CLI::Range(64, 4096));
    app->add_option("--connect-rate", o.connect_rate, "new connections per second during the ramp");
    app->add_option("--warmup", o.warmup, "seconds of load before the measurement window");
    app->add_option("--duration", o.duration, "seconds of the measurement window")->check(CLI::Range(0.5, 3600.0));
    app->add_option("--drain", o.drain, "seconds to wait for owed deliveries after the last send");
    app->add_option("--setup-timeout", o.setup_timeout,
                    "seconds the server may take, beyond the ramp itself (clients / --connect-rate), until every "
                    "client is connected and the start line reached them all")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app->add_option("--tick-us", o.tick_us,
                    "send granularity in microseconds (due messages leave in one write per tick)")
        ->check(CLI::Range(50.0, 100000.0));
    app->add_option("--interval-ms", o.interval_ms, "server sampling interval")->check(CLI::Range(10, 10000));
    app->add_flag("--pin", o.pin, "server on cpu 0, generator on cpu 1 (sched_setaffinity)");
    app->add_flag("--key", o.key,
                  "authenticate with a 128-byte key (default: as the stage does, " + stages_by(key_of_stage) +
                      "; without --stage: for every workload but echo)");
    app->add_flag("--no-key", o.no_key, "never use a key");
    app->add_option("--nice", o.nice,
                    "scheduling priority of server and generator, e.g. -10 to run ahead of other work on a shared "
                    "machine (root)")
        ->check(CLI::Range(-20, 19));
    app->add_flag("--no-cgroup", o.no_cgroup,
                  "measure CPU by summing /proc/<pid>/task/*/schedstat instead of a cgroup");
}

RunConfig make_config(const CommonOptions& o, const std::string& command, const std::string& label)
{
    RunConfig rc;
    rc.server = papaya::process::split_words(command);
    if (rc.server.empty()) throw std::invalid_argument("empty server command");
    rc.label = label.empty() ? basename_of(rc.server.front()) : label;
    rc.stage = o.stage;
    rc.workload = default_workload(o);
    rc.load.size = o.size;
    if (o.bandwidth > 0) {
        rc.load.rate = o.bandwidth / 8.0 / static_cast<double>(o.size);
    } else if (o.rate >= 0) {
        rc.load.rate = o.rate;
    } else {
        rc.load.rate = rc.workload == Workload::echo ? 1e6 / 8.0 / static_cast<double>(o.size) : 10;
    }
    rc.load.connect_rate = o.connect_rate;
    rc.load.warmup_s = o.warmup;
    rc.load.measure_s = o.duration;
    rc.load.drain_s = o.drain;
    rc.load.setup_timeout_s = o.setup_timeout;
    rc.load.tick_ns = static_cast<std::int64_t>(o.tick_us * 1000);
    rc.interval = std::chrono::milliseconds{o.interval_ms};
    rc.pin = o.pin;
    if (o.key) rc.key = true;
    if (o.no_key) rc.key = false;
    rc.use_cgroup = !o.no_cgroup;
    rc.nice = o.nice;
    return rc;
}

} // namespace bench
