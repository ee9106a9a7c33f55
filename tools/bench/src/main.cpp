// papaya-bench: measures a chat server the way the paper meant to (see
// tools/bench/README.md): `run` for one point, `compare` for two or more
// servers side by side, `summarize` to make a compare's table, summaries and plots
// again from its runs.csv, `plot` to draw its plots again from plot.dat, `floor` for
// the kernel's price of a delivery with no server in the way.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <system_error>

#include "compare.hpp"
#include "compare_report.hpp"
#include "floor.hpp"
#include "load_generator.hpp"
#include "options.hpp"
#include "papaya/process/limits.hpp"
#include "papaya/stages.hpp"
#include "plots.hpp"
#include "report.hpp"
#include "run.hpp"

namespace {

using bench::CommonOptions;

struct RunCommand {
    CommonOptions common;
    std::string server;
    std::string label;
    std::uint32_t clients = 1;
    std::string json_path;
    bool check = false;
};

struct CompareCommand {
    CommonOptions common;
    std::vector<std::string> servers, labels;
    std::vector<int> stages;
    std::string out_dir, title, floor_json;
    CLI::Option* clients_option = nullptr;
    std::vector<std::uint32_t> clients{1, 2, 4, 8, 16, 32, 64};
    int repeat = 5;
    double max_deliveries = 0;
    bool no_plots = false;
    double quiet_wait = 0;
    int retries = 0;
    bool stop_at_failure = false;
};

struct FloorCommand {
    bench::FloorConfig config;
    std::string writer;
    std::vector<std::uint32_t> clients{1, 8, 64, 256, 1000};
    int repeat = 5;
    bool no_cgroup = false;
    std::string json_path;
};

struct SummarizeCommand {
    std::string dir, title, floor_json;
    std::vector<int> stages;
    bool no_plots = false;
};

struct PlotCommand {
    std::string dir, title;
    std::vector<std::string> labels;
};

CLI::App* add_run_command(CLI::App& app, RunCommand& c)
{
    auto* run = app.add_subcommand("run", "one server, one client count");
    run->add_option("--server", c.server, "the server's command line, e.g. 'build/default/chatserver/papayad'")
        ->required();
    run->add_option("--label", c.label, "name in the output (default: the executable's name)");
    run->add_option("--clients", c.clients, "concurrent clients")->check(CLI::Range(1, 20000));
    run->add_option("--json", c.json_path, "also write the result as JSON to this file");
    run->add_flag("--check", c.check,
                  "also fail unless the accounting is sane: server CPU > 0, deliveries = expected, samples taken");
    bench::add_common_options(run, c.common);
    return run;
}

CLI::App* add_compare_command(CLI::App& app, CompareCommand& c)
{
    auto* cmp = app.add_subcommand(
        "compare", "two or more servers, interleaved, over a list of client counts; ratios are to the last one");
    cmp->add_option("SERVER", c.servers, "each server's command line, quoted (at least two; the last is the reference)")
        ->required()
        ->expected(-2);
    cmp->add_option("--label", c.labels, "a server's name, once per server in order (default: its executable's name)");
    cmp->add_option("--stages", c.stages,
                    "each server's --stage, comma separated in order (instead of --stage, which passes one to all)")
        ->delimiter(',')
        ->check(CLI::Range(0, papaya::last_stage));
    cmp->add_option("--floor", c.floor_json,
                    "the floor's runs (papaya-bench floor --json): CPU per delivery also as a multiple of it");
    c.clients_option = cmp->add_option("--clients", c.clients,
                                       "client counts, comma separated (default with --stage: the stage's, "
                                       "from labs/stages.json; else 1,2,4,...,64)")
                           ->delimiter(',');
    cmp->add_option("--repeat", c.repeat, "runs per server and client count")->check(CLI::Range(1, 100));
    cmp->add_option("--max-deliveries", c.max_deliveries,
                    "cap on deliveries/s: lowers the per-client rate at high client counts (0 = no cap)");
    cmp->add_option("--out", c.out_dir, "directory for runs.csv, summary.csv/json and plots");
    cmp->add_option("--title", c.title, "title of the table and plots");
    cmp->add_flag("--no-plots", c.no_plots, "do not run gnuplot");
    cmp->add_option("--quiet-wait", c.quiet_wait,
                    "before each run, wait up to this many seconds for other load on the machine to end");
    cmp->add_option("--retry", c.retries, "rerun an invalid (generator-bound) point up to this many times");
    cmp->add_flag("--stop-at-failure", c.stop_at_failure,
                  "once a server's run fails or loses a delivery, do not run that server again (at that client "
                  "count or a larger one): the table says where and why it stopped");
    bench::add_common_options(cmp, c.common);
    return cmp;
}

CLI::App* add_plot_command(CLI::App& app, PlotCommand& c)
{
    auto* plot = app.add_subcommand("plot", "draw the plots of a compare --out directory again from its plot.dat");
    plot->add_option("DIR", c.dir, "the directory (holds plot.dat)")->required();
    plot->add_option("--title", c.title, "title of the plots")->required();
    plot->add_option("--label", c.labels, "a server's name, once per server in the order of the data (see plots.gp)")
        ->required();
    return plot;
}

CLI::App* add_summarize_command(CLI::App& app, SummarizeCommand& c)
{
    auto* sum = app.add_subcommand(
        "summarize", "make a compare's table, summary.csv/json, plot.dat and plots again from its runs.csv, without "
                     "measuring: the table goes to standard output, the files are rewritten in DIR");
    sum->add_option("DIR", c.dir, "the compare's --out directory (holds runs.csv)")
        ->required()
        ->check(CLI::ExistingDirectory);
    sum->add_option("--title", c.title, "title of the table and plots (default: DIR's name)");
    sum->add_option("--floor", c.floor_json,
                    "the floor's runs (papaya-bench floor --json; default: DIR/floor.json when it exists)")
        ->check(CLI::ExistingFile);
    sum->add_option("--stages", c.stages,
                    "each server's stage, comma separated in the order they ran, for a runs.csv written before "
                    "runs recorded it (the table then explains each stage)")
        ->delimiter(',')
        ->check(CLI::Range(0, papaya::last_stage));
    sum->add_flag("--no-plots", c.no_plots, "do not run gnuplot");
    return sum;
}

CLI::App* add_floor_command(CLI::App& app, FloorCommand& c)
{
    auto* floor = app.add_subcommand(
        "floor", "the kernel's price of a delivery: papaya-floor writes one line to each of N loopback connections "
                 "in turn, in a tight loop, measured like a server; CPU per delivery at each client count");
    floor->add_option("--writer", c.writer, "papaya-floor's path (default: the one beside papaya-bench)");
    floor->add_option("--clients", c.clients, "client counts, comma separated")
        ->delimiter(',')
        ->check(CLI::Range(1, 20000))
        ->capture_default_str();
    floor->add_option("--size", c.config.size, "bytes per line, newline included (as the chat workload's --size)")
        ->check(CLI::Range(8, 1 << 20))
        ->capture_default_str();
    floor->add_option("--repeat", c.repeat, "runs per client count")->check(CLI::Range(1, 100))->capture_default_str();
    floor->add_option("--warmup", c.config.warmup_s, "seconds of writing before the window")->capture_default_str();
    floor->add_option("--duration", c.config.measure_s, "seconds of the measurement window")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    floor->add_flag("--pin", c.config.pin, "writer on cpu 0, reader on cpu 1");
    floor->add_option("--nice", c.config.nice, "priority of writer and reader (negative: root only)");
    floor->add_flag("--no-cgroup", c.no_cgroup, "take the writer's CPU from /proc instead of a cgroup");
    floor->add_option("--json", c.json_path, "also write every run as JSON to this file");
    return floor;
}

int floor_command(FloorCommand& c)
{
    std::string writer = c.writer;
    if (writer.empty())
        writer = (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "papaya-floor").string();
    c.config.writer = {writer};
    c.config.use_cgroup = !c.no_cgroup;
    return bench::run_floor(c.config, c.clients, c.repeat, c.json_path, std::cout);
}

/// What --check finds wrong with the accounting of @p result ("" when sane).
std::string accounting_problems(const bench::RunResult& result)
{
    std::string why;
    if (!(result.server_cpu_s > 0)) why += " server CPU is 0;";
    if (result.counts.delivered != result.counts.expected) why += " deliveries != expected;";
    if (result.counts.expected == 0 && result.workload != "append") why += " nothing expected;";
    if (result.cpu.n < 2) why += " fewer than 2 CPU samples;";
    if (result.processes < 1 || result.pss_loaded == 0) why += " no process or PSS seen;";
    if (!result.drained) why += " not drained;";
    return why;
}

int run_command(const RunCommand& c)
{
    bench::RunConfig config = bench::make_config(c.common, c.server, c.label);
    config.load.clients = c.clients;
    const auto result = bench::run_once(config);
    bench::print_run(result, std::cout);
    if (!c.json_path.empty()) {
        std::ofstream file(c.json_path);
        file << bench::json_of(result) << "\n";
        if (!file) throw std::runtime_error("cannot write " + c.json_path);
    }
    if (!result.correct) return 1;
    if (c.check) {
        if (const std::string why = accounting_problems(result); !why.empty()) {
            std::cout << "CHECK FAILED:" << why << "\n";
            return 1;
        }
    }
    return 0;
}

int compare_command(const CompareCommand& c)
{
    const std::size_t n = c.servers.size();
    if (!c.labels.empty() && c.labels.size() != n)
        throw std::invalid_argument("compare: " + std::to_string(c.labels.size()) + " --label for " +
                                    std::to_string(n) + " servers (give one per server, or none)");
    if (!c.stages.empty() && c.stages.size() != n)
        throw std::invalid_argument("compare: --stages lists " + std::to_string(c.stages.size()) + " stages for " +
                                    std::to_string(n) + " servers");
    if (!c.stages.empty() && c.common.stage >= 0)
        throw std::invalid_argument("compare: --stage and --stages both given (use one)");
    bench::CompareConfig config;
    for (std::size_t i = 0; i < n; ++i) {
        CommonOptions common = c.common;
        if (!c.stages.empty()) common.stage = c.stages[i];
        config.servers.push_back(bench::make_config(common, c.servers[i], c.labels.empty() ? "" : c.labels[i]));
        const auto& added = config.servers.back();
        if (added.workload != config.servers.front().workload)
            throw std::invalid_argument("compare: stage " + std::to_string(added.stage) + " runs the " +
                                        bench::to_string(added.workload) + " workload, stage " +
                                        std::to_string(config.servers.front().stage) + " the " +
                                        bench::to_string(config.servers.front().workload) +
                                        " one: give --workload to load them alike");
    }
    // Two servers of one name (the same executable twice) are told apart by their place.
    std::set<std::string> names_seen;
    bool repeated = false;
    for (const auto& rc : config.servers) repeated |= !names_seen.insert(rc.label).second;
    for (std::size_t k = 0; repeated && k < n; ++k)
        config.servers[k].label += " (" + std::string(1, static_cast<char>('A' + k)) + ")";
    config.clients = c.clients;
    const int stage = config.servers.front().stage;
    if (stage >= 0 && c.clients_option->count() == 0) {
        const auto& facts = papaya::stages.at(static_cast<std::size_t>(stage));
        config.clients.assign(facts.compare_clients.begin(), facts.compare_clients.end());
    }
    config.repeat = c.repeat;
    config.max_deliveries_per_s = c.max_deliveries;
    config.out_dir = c.out_dir;
    config.plots = !c.no_plots;
    config.quiet_wait_s = c.quiet_wait;
    config.retries = c.retries;
    config.stop_at_failure = c.stop_at_failure;
    if (!c.floor_json.empty()) config.floor_us = bench::read_floor_medians(c.floor_json);
    std::string names;
    for (const auto& rc : config.servers) names += (names.empty() ? "" : " vs ") + rc.label;
    config.title = !c.title.empty()
                       ? c.title
                       : std::string(bench::to_string(config.servers.front().workload)) + " workload: " + names;
    return bench::run_compare(config, std::cout);
}

int summarize_command(const SummarizeCommand& c)
{
    bench::CompareRuns runs = bench::read_compare_runs(c.dir);
    if (!c.stages.empty()) {
        if (c.stages.size() != runs.labels.size())
            throw std::invalid_argument("summarize: --stages lists " + std::to_string(c.stages.size()) +
                                        " stages for the " + std::to_string(runs.labels.size()) +
                                        " servers of runs.csv");
        for (auto& r : runs.runs) {
            const auto at = std::find(runs.labels.begin(), runs.labels.end(), r.label) - runs.labels.begin();
            const int given = c.stages[static_cast<std::size_t>(at)];
            if (r.stage >= 0 && r.stage != given)
                throw std::invalid_argument("summarize: runs.csv says " + r.label + " ran stage " +
                                            std::to_string(r.stage) + ", --stages says " + std::to_string(given));
            r.stage = given;
        }
    }
    auto dir = std::filesystem::path(c.dir).lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path(); // "results/paradigms/"
    runs.title = c.title.empty() ? dir.filename().string() : c.title;
    std::string floor = c.floor_json;
    if (floor.empty() && std::filesystem::exists(c.dir + "/floor.json")) floor = c.dir + "/floor.json";
    if (!floor.empty()) runs.floor_us = bench::read_floor_medians(floor);
    return bench::report_compare(runs, c.dir, !c.no_plots, std::cout) > 0 ? 1 : 0;
}

int plot_command(const PlotCommand& c)
{
    const auto points = bench::read_plot_data(c.dir);
    if (!points.empty() && points.front().sides.size() != c.labels.size())
        throw std::invalid_argument(c.dir + "/plot.dat holds " + std::to_string(points.front().sides.size()) +
                                    " servers: give as many --label");
    const std::string why = bench::render_plots(c.dir, c.title, c.labels, points);
    if (!why.empty()) throw std::runtime_error(why);
    std::cout << "plots: " << c.dir << "/" << bench::plot_names() << ".{png,svg}\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"papaya-bench: open-loop load and whole-tree measurement of chat servers"};
    app.require_subcommand(1);
    RunCommand run;
    CompareCommand compare;
    PlotCommand plot;
    SummarizeCommand summarize;
    FloorCommand floor;
    const auto* run_app = add_run_command(app, run);
    const auto* compare_app = add_compare_command(app, compare);
    const auto* floor_app = add_floor_command(app, floor);
    const auto* summarize_app = add_summarize_command(app, summarize);
    add_plot_command(app, plot);
    CLI11_PARSE(app, argc, argv);

    try {
        // Room for the most clients `run` takes (20,000): a socket each here, and in a
        // server up to three descriptors each (stage 7: the socket and the session's own
        // two open file descriptions of the log).
        papaya::process::raise_open_files_limit(1 << 17);
        if (run_app->parsed()) return run_command(run);
        if (compare_app->parsed()) return compare_command(compare);
        if (floor_app->parsed()) return floor_command(floor);
        if (summarize_app->parsed()) return summarize_command(summarize);
        return plot_command(plot);
    } catch (const std::system_error& e) {
        std::cerr << "papaya-bench: " << e.what() << ": " << e.code().message() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "papaya-bench: " << e.what() << "\n";
        return 3;
    }
}
