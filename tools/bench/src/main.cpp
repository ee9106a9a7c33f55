// papaya-bench: measures a chat server the way the paper meant to (see
// tools/bench/README.md): `run` for one point, `compare` for two servers side by side.
#include <CLI/CLI.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "compare.hpp"
#include "load_generator.hpp"
#include "report.hpp"
#include "run.hpp"

namespace {

using bench::RunConfig;
using bench::Workload;

std::vector<std::string> split_command(const std::string& cmd)
{
    std::istringstream in(cmd);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string basename_of(const std::string& path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct CommonOptions {
    std::string workload;
    int stage = -1;
    double rate = -1;
    double bandwidth = 0;
    std::size_t size = 64;
    double connect_rate = 300;
    double warmup = 2;
    double duration = 10;
    double drain = 5;
    double tick_us = 1000;
    int interval_ms = 500;
    bool pin = false;
    bool key = false;
    bool no_key = false;
    bool no_cgroup = false;
    int nice = 0;
};

void add_common(CLI::App* app, CommonOptions& o)
{
    app->add_option("--workload", o.workload, "echo | chat | append (default: echo for stages 0-1, append for 2, chat for 3+; echo without --stage)")
        ->check(CLI::IsMember({"echo", "chat", "append"}));
    app->add_option("--stage", o.stage, "pass --stage N to the server(s)")->check(CLI::Range(0, 6));
    app->add_option("--rate", o.rate, "messages per second per client (default: 1 Mbit/s worth for echo, 10 for chat)");
    app->add_option("--bandwidth", o.bandwidth, "bits per second per client (sets --rate from --size), like tcpkali --channel-bandwidth-upstream");
    app->add_option("--size", o.size, "bytes per message including the newline (min 64)")->check(CLI::Range(64, 4096));
    app->add_option("--connect-rate", o.connect_rate, "new connections per second during the ramp");
    app->add_option("--warmup", o.warmup, "seconds of load before the measurement window");
    app->add_option("--duration", o.duration, "seconds of the measurement window")->check(CLI::Range(0.5, 3600.0));
    app->add_option("--drain", o.drain, "seconds to wait for owed deliveries after the last send");
    app->add_option("--tick-us", o.tick_us, "send granularity in microseconds (due messages leave in one write per tick)")
        ->check(CLI::Range(50.0, 100000.0));
    app->add_option("--interval-ms", o.interval_ms, "server sampling interval")->check(CLI::Range(10, 10000));
    app->add_flag("--pin", o.pin, "server on cpu 0, generator on cpu 1 (sched_setaffinity)");
    app->add_flag("--key", o.key, "authenticate with a 128-byte key (default from stage 4 on, and for chat without --stage)");
    app->add_flag("--no-key", o.no_key, "never use a key");
    app->add_option("--nice", o.nice, "scheduling priority of server and generator, e.g. -10 to run ahead of other work on a shared machine (root)")
        ->check(CLI::Range(-20, 19));
    app->add_flag("--no-cgroup", o.no_cgroup, "measure CPU by summing /proc/<pid>/task/*/schedstat instead of a cgroup");
}

RunConfig make_config(const CommonOptions& o)
{
    RunConfig rc;
    rc.stage = o.stage;
    if (!o.workload.empty()) rc.workload = *bench::parse_workload(o.workload);
    else if (o.stage >= 0) rc.workload = o.stage <= 1 ? Workload::echo : o.stage == 2 ? Workload::append : Workload::chat;
    rc.load.size = o.size;
    if (o.bandwidth > 0) rc.load.rate = o.bandwidth / 8.0 / static_cast<double>(o.size);
    else if (o.rate >= 0) rc.load.rate = o.rate;
    else rc.load.rate = rc.workload == Workload::echo ? 1e6 / 8.0 / static_cast<double>(o.size) : 10;
    rc.load.connect_rate = o.connect_rate;
    rc.load.warmup_s = o.warmup;
    rc.load.measure_s = o.duration;
    rc.load.drain_s = o.drain;
    rc.load.tick_ns = static_cast<std::int64_t>(o.tick_us * 1000);
    rc.interval_ms = o.interval_ms;
    rc.pin = o.pin;
    if (o.key) rc.key = true;
    if (o.no_key) rc.key = false;
    rc.use_cgroup = !o.no_cgroup;
    rc.nice = o.nice;
    return rc;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"papaya-bench: open-loop load and whole-tree measurement of chat servers"};
    app.require_subcommand(1);

    CommonOptions run_opts;
    std::string server;
    std::string label;
    std::uint32_t clients = 1;
    std::string json_path;
    bool check = false;
    auto* run = app.add_subcommand("run", "one server, one client count");
    run->add_option("--server", server, "the server's command line, e.g. 'build/default/chatserver/papayad'")->required();
    run->add_option("--label", label, "name in the output (default: the executable's name)");
    run->add_option("--clients", clients, "concurrent clients")->check(CLI::Range(1, 20000));
    run->add_option("--json", json_path, "also write the result as JSON to this file");
    run->add_flag("--check", check,
                  "also fail unless the accounting is sane: server CPU > 0, deliveries = expected, samples taken");
    add_common(run, run_opts);

    CommonOptions cmp_opts;
    std::string server_a, server_b, label_a, label_b, out_dir, title;
    std::vector<std::uint32_t> client_list{1, 2, 4, 8, 16, 32, 64};
    int repeat = 5;
    double max_deliveries = 0;
    bool no_plots = false;
    double quiet_wait = 0;
    int retries = 0;
    auto* cmp = app.add_subcommand("compare", "two servers, interleaved, over a list of client counts");
    cmp->add_option("A", server_a, "server A's command line")->required();
    cmp->add_option("B", server_b, "server B's command line")->required();
    cmp->add_option("--label-a", label_a, "name of A (default: its executable's name)");
    cmp->add_option("--label-b", label_b, "name of B");
    cmp->add_option("--clients", client_list, "client counts, comma separated")->delimiter(',');
    cmp->add_option("--repeat", repeat, "runs per server and client count")->check(CLI::Range(1, 100));
    cmp->add_option("--max-deliveries", max_deliveries,
                    "cap on deliveries/s: lowers the per-client rate at high client counts (0 = no cap)");
    cmp->add_option("--out", out_dir, "directory for runs.csv, summary.csv/json and plots");
    cmp->add_option("--title", title, "title of the table and plots");
    cmp->add_flag("--no-plots", no_plots, "do not run gnuplot");
    cmp->add_option("--quiet-wait", quiet_wait,
                    "before each run, wait up to this many seconds for other load on the machine to end");
    cmp->add_option("--retry", retries, "rerun an invalid (generator-bound) point up to this many times");
    add_common(cmp, cmp_opts);

    CLI11_PARSE(app, argc, argv);

    try {
        bench::raise_fd_limit();
        if (run->parsed()) {
            RunConfig rc = make_config(run_opts);
            rc.server = split_command(server);
            rc.label = label.empty() ? basename_of(rc.server.at(0)) : label;
            rc.load.clients = clients;
            const auto result = bench::run_once(rc);
            bench::print_run(result, std::cout);
            if (!json_path.empty()) {
                std::ofstream f(json_path);
                f << bench::json_of(result) << "\n";
                if (!f) throw std::runtime_error("cannot write " + json_path);
            }
            if (!result.correct) return 1;
            if (check) {
                std::string why;
                if (!(result.server_cpu_s > 0)) why += " server CPU is 0;";
                if (result.counts.delivered != result.counts.expected) why += " deliveries != expected;";
                if (result.counts.expected == 0 && result.workload != "append") why += " nothing expected;";
                if (result.cpu.n < 2) why += " fewer than 2 CPU samples;";
                if (result.processes < 1 || result.pss_loaded == 0) why += " no process or PSS seen;";
                if (!result.drained) why += " not drained;";
                if (!why.empty()) {
                    std::cout << "CHECK FAILED:" << why << "\n";
                    return 1;
                }
            }
            return 0;
        }
        bench::CompareConfig cc;
        cc.a = make_config(cmp_opts);
        cc.a.server = split_command(server_a);
        cc.a.label = label_a.empty() ? basename_of(cc.a.server.at(0)) : label_a;
        cc.b = make_config(cmp_opts);
        cc.b.server = split_command(server_b);
        cc.b.label = label_b.empty() ? basename_of(cc.b.server.at(0)) : label_b;
        if (cc.a.label == cc.b.label) {
            cc.a.label += " (A)";
            cc.b.label += " (B)";
        }
        cc.clients = client_list;
        cc.repeat = repeat;
        cc.max_deliveries_per_s = max_deliveries;
        cc.out_dir = out_dir;
        cc.plots = !no_plots;
        cc.quiet_wait_s = quiet_wait;
        cc.retries = retries;
        cc.title = title.empty() ? std::string(bench::to_string(cc.a.workload)) + " workload: " + cc.a.label + " vs " +
                                       cc.b.label
                                 : title;
        return bench::run_compare(cc, std::cout);
    } catch (const std::system_error& e) {
        std::cerr << "papaya-bench: " << e.what() << ": " << e.code().message() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "papaya-bench: " << e.what() << "\n";
        return 3;
    }
}
