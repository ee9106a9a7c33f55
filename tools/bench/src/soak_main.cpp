// papaya-soak: one server for minutes (issue 19). A steady set of clients
// chats the whole time while other clients connect, chat and leave, again and
// again; every line sent is accounted for (each steady client receives each
// exactly once, the log holds each exactly once), and the server's processes,
// zombies, threads, open descriptors, PSS and the log's size are sampled
// through /proc. It passes when nothing was lost and, after the churn, the
// server is back to the processes, descriptors and (within a margin) memory
// it had before it, and its memory either came back too or did not creep
// during the churn. A harness program, like the tests and papaya-join-burst:
// the server is --server (or PAPAYA_SERVER); tools/bench/run-experiments soak
// runs it for each server and draws the plots.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <poll.h>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "chat_helpers.hpp"
#include "plots.hpp"
#include "server_resources.hpp"

namespace {

using namespace papaya;
using Clock = std::chrono::steady_clock;

struct Sample {
    double t_s = 0;
    std::string phase;
    integration::ServerResources resources;
    std::uintmax_t log_bytes = 0;
    std::size_t churned = 0; // churning sessions completed so far
};

struct Options {
    std::string server;
    std::string label = "server";
    std::string out;
    double minutes = 10;
    std::size_t steady = 8;
    double steady_rate = 8; // lines per second, all steady clients together
    double churn_rate = 5;  // churning sessions per second
    std::size_t churn_lines = 3;
    double settle_s = 15; // steady chat alone before and after the churn
    double interval_s = 5;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string mib(std::uint64_t bytes)
{
    std::ostringstream text;
    text.precision(2);
    text << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0);
    return text.str();
}

class Soak {
public:
    explicit Soak(const Options& options) : options_(options), keyed_({"--max-clients", "256"}), start_(Clock::now())
    {
        steady_ = integration::join_many(keyed_.server.port(), options_.steady, keyed_.key);
        received_.resize(steady_.size());
    }

    int run()
    {
        phase("settle-before", options_.settle_s, false);
        const auto baseline = keyed_resources();
        churn_start_s_ = seconds_since(start_);
        phase("churn", options_.minutes * 60, true);
        phase("settle-after", options_.settle_s, false);
        // Resources come back as the last churners' processes are reaped.
        auto after = keyed_resources();
        harness::poll_until(
            [&] {
                after = keyed_resources();
                return after.processes <= baseline.processes && after.fds <= baseline.fds && after.zombies == 0;
            },
            harness::Deadline{std::chrono::seconds{30}});
        take_sample("final");
        return report(baseline, after);
    }

private:
    integration::ServerResources keyed_resources() { return integration::measure_resources(keyed_.server); }

    void phase(const std::string& name, double seconds, bool churn)
    {
        const auto begin = Clock::now();
        auto next_line = begin;
        auto next_churn = begin;
        auto next_sample = begin;
        const auto gap_of = [](double s) {
            return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
        };
        const auto line_gap = gap_of(1.0 / options_.steady_rate);
        const auto churn_gap = gap_of(1.0 / options_.churn_rate);
        const auto sample_gap = gap_of(options_.interval_s);
        while (seconds_since(begin) < seconds) {
            const auto now = Clock::now();
            if (!churn && now >= next_sample) {
                take_sample(name);
                next_sample += sample_gap;
            }
            if (now >= next_line) {
                send_steady();
                next_line += line_gap;
            }
            if (churn && now >= next_churn) {
                // Sampled while a churning client is connected, so the peak counts it.
                const bool sample_due = Clock::now() >= next_sample;
                churn_once(sample_due ? name : std::string());
                if (sample_due) next_sample += sample_gap;
                next_churn += churn_gap;
            }
            drain(std::chrono::milliseconds{10});
        }
    }

    void send_steady()
    {
        auto& client = steady_[lines_sent_ % steady_.size()];
        const std::string line = integration::unique_line("steady" + std::to_string(lines_sent_ % steady_.size()));
        client.send(line + "\n");
        sent_.push_back(line);
        ++lines_sent_;
    }

    /// One churning client: joins (its hello is a line like any other), says
    /// a few lines, reads up to its last one, and leaves.
    void churn_once(const std::string& sample_phase)
    {
        std::string hello;
        auto client = integration::join(keyed_.server.port(), keyed_.key, harness::Family::ipv4, &hello);
        sent_.push_back(hello);
        if (!sample_phase.empty()) take_sample(sample_phase);
        std::string last;
        for (std::size_t i = 0; i < options_.churn_lines; ++i) {
            last = integration::unique_line("churn");
            client.send(last + "\n");
            sent_.push_back(last);
        }
        integration::read_until_line(client, last);
        client.close();
        ++churned_;
    }

    /// Reads what the steady clients have been sent, for up to @p wait.
    void drain(std::chrono::milliseconds wait)
    {
        std::vector<pollfd> fds;
        for (auto& client : steady_) fds.push_back({client.fd(), POLLIN, 0});
        if (::poll(fds.data(), fds.size(), static_cast<int>(wait.count())) <= 0) return;
        for (std::size_t i = 0; i < steady_.size(); ++i) {
            if (fds[i].revents == 0) continue;
            steady_[i].receive_available();
            std::istringstream lines(steady_[i].take_complete_lines());
            for (std::string line; std::getline(lines, line);) ++received_[i][line];
        }
    }

    void take_sample(const std::string& name)
    {
        Sample sample;
        sample.t_s = seconds_since(start_);
        sample.phase = name;
        sample.resources = keyed_resources();
        std::error_code error;
        sample.log_bytes = std::filesystem::file_size(keyed_.log, error);
        sample.churned = churned_;
        samples_.push_back(sample);
    }

    int report(const integration::ServerResources& baseline, const integration::ServerResources& after)
    {
        // Everything sent has arrived once the last steady line came back to everyone.
        std::vector<harness::Client*> everyone;
        for (auto& client : steady_) everyone.push_back(&client);
        const std::string last = integration::unique_line("last");
        steady_.front().send(last + "\n");
        sent_.push_back(last);
        for (std::size_t i = 0; i < steady_.size(); ++i) {
            for (const auto& line : integration::read_until_line(steady_[i], last, std::chrono::seconds{30}))
                ++received_[i][line];
            ++received_[i][last];
        }
        std::size_t lost = 0, duplicated = 0, unexpected = 0;
        for (auto& counts : received_) {
            for (const auto& line : sent_) {
                const auto it = counts.find(line);
                if (it == counts.end()) ++lost;
                else if (it->second > 1) duplicated += it->second - 1;
                if (it != counts.end()) counts.erase(it);
            }
            unexpected += counts.size();
        }
        std::unordered_map<std::string, std::size_t> in_log;
        for (const auto& line : integration::log_lines(keyed_.log)) ++in_log[line];
        std::size_t log_missing = 0, log_duplicated = 0;
        for (const auto& line : sent_) {
            const auto n = in_log[line];
            log_missing += n == 0;
            log_duplicated += n > 1 ? n - 1 : 0;
        }
        std::size_t peak_processes = 0, peak_fds = 0, peak_threads = 0;
        std::uint64_t peak_pss = 0;
        for (const auto& s : samples_) {
            peak_processes = std::max(peak_processes, s.resources.processes + s.resources.zombies);
            peak_fds = std::max(peak_fds, s.resources.fds);
            peak_threads = std::max(peak_threads, s.resources.threads);
            peak_pss = std::max(peak_pss, s.resources.pss_bytes);
        }
        // Memory: either back near its level before the churn (a quarter
        // more, plus 2 MiB, for allocator caches), or at least not creeping:
        // a runtime (goref's Go heap) keeps the heap it grew to in the first
        // minute, which is no leak as long as the churn's last third needs
        // no more than its first third (plus a quarter, plus 1 MiB).
        const bool memory_back = after.pss_bytes <= baseline.pss_bytes + baseline.pss_bytes / 4 + 2 * 1024 * 1024;
        std::uint64_t first_third = 0, last_third = 0;
        for (const auto& s : samples_) {
            if (s.phase != "churn") continue;
            const double into = (s.t_s - churn_start_s_) / (options_.minutes * 60);
            if (into < 1.0 / 3) first_third = std::max(first_third, s.resources.pss_bytes);
            if (into >= 2.0 / 3) last_third = std::max(last_third, s.resources.pss_bytes);
        }
        const bool no_creep = last_third <= first_third + first_third / 4 + 1024 * 1024;
        const bool counts_back = after.processes == baseline.processes && after.fds == baseline.fds &&
                                 after.zombies == 0;
        const bool delivered = lost == 0 && duplicated == 0 && unexpected == 0 && log_missing == 0 &&
                               log_duplicated == 0;
        const bool pass = delivered && counts_back && (memory_back || no_creep);

        std::ostringstream table;
        table << "server: " << options_.label << "\n"
              << "minutes of churn: " << options_.minutes << "; steady clients: " << steady_.size() << " ("
              << options_.steady_rate << " lines/s together); churning sessions: " << churned_ << " ("
              << options_.churn_rate << "/s, each joins, sends " << options_.churn_lines << " lines, leaves)\n"
              << "lines sent: " << sent_.size()
              << "; deliveries to the steady clients: " << sent_.size() * steady_.size() << " owed, lost " << lost
              << ", duplicated " << duplicated << ", unexpected " << unexpected << "; chat log: missing " << log_missing
              << ", duplicated " << log_duplicated << "\n\n"
              << "| | processes | zombies | threads | open fds | PSS MiB |\n|---|---|---|---|---|---|\n"
              << "| before the churn | " << baseline.processes << " | " << baseline.zombies << " | " << baseline.threads
              << " | " << baseline.fds << " | " << mib(baseline.pss_bytes) << " |\n"
              << "| peak | " << peak_processes << " | | " << peak_threads << " | " << peak_fds << " | " << mib(peak_pss)
              << " |\n"
              << "| after the churn | " << after.processes << " | " << after.zombies << " | " << after.threads << " | "
              << after.fds << " | " << mib(after.pss_bytes) << " |\n\n"
              << "PSS after the churn back near its level before it: " << (memory_back ? "yes" : "no")
              << "; PSS peak in the churn's first third " << mib(first_third) << " MiB, in its last third "
              << mib(last_third) << " MiB: " << (no_creep ? "no creep" : "CREEPING") << "\n"
              << "log: " << mib(samples_.back().log_bytes) << " MiB at the end\n"
              << "verdict: " << (pass ? "PASS" : "FAIL") << (delivered ? "" : " (deliveries)")
              << (counts_back ? "" : " (processes or fds not back)")
              << (memory_back || no_creep ? "" : " (memory creeping)") << "\n";
        std::cout << table.str();
        if (!options_.out.empty()) write_out(table.str());
        return pass ? 0 : 1;
    }

    void write_out(const std::string& table)
    {
        std::filesystem::create_directories(options_.out);
        std::ofstream(options_.out + "/table.txt") << table;
        std::ofstream dat(options_.out + "/samples.tsv");
        dat << "# t_min\tphase\tprocesses\tzombies\tthreads\tfds\tpss_mib\tlog_mib\tchurned\n";
        for (const auto& s : samples_)
            dat << s.t_s / 60 << '\t' << s.phase << '\t' << s.resources.processes << '\t' << s.resources.zombies << '\t'
                << s.resources.threads << '\t' << s.resources.fds << '\t' << mib(s.resources.pss_bytes) << '\t'
                << mib(s.log_bytes) << '\t' << s.churned << '\n';
        dat.close();
        const std::string why = bench::render_timeline(options_.out, "soak: " + options_.label, "samples.tsv");
        if (!why.empty()) std::cerr << "papaya-soak: " << why << "\n";
    }

    Options options_;
    integration::KeyedServer keyed_;
    Clock::time_point start_;
    std::vector<harness::Client> steady_;
    std::vector<std::unordered_map<std::string, std::size_t>> received_;
    std::vector<std::string> sent_;
    std::size_t lines_sent_ = 0;
    std::size_t churned_ = 0;
    double churn_start_s_ = 0;
    std::vector<Sample> samples_;
};

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"papaya-soak: steady and churning clients for minutes; every line accounted, resources sampled"};
    Options options;
    app.add_option("--server", options.server, "the server command (default: PAPAYA_SERVER), e.g. \"goref --stage 6\"");
    app.add_option("--label", options.label, "its name in the table and plots");
    app.add_option("--out", options.out, "directory for table.txt, samples.tsv and the plots");
    app.add_option("--minutes", options.minutes, "minutes of churn")->check(CLI::Range(0.05, 1440.0));
    app.add_option("--steady", options.steady, "clients connected the whole time")->check(CLI::Range(1, 100));
    app.add_option("--steady-rate", options.steady_rate, "lines per second from the steady clients together")
        ->check(CLI::Range(0.1, 1000.0));
    app.add_option("--churn-rate", options.churn_rate, "churning sessions per second")->check(CLI::Range(0.1, 100.0));
    app.add_option("--churn-lines", options.churn_lines, "lines each churning client sends")->check(CLI::Range(1, 100));
    app.add_option("--settle", options.settle_s, "seconds of steady chat alone before and after the churn")
        ->check(CLI::Range(1.0, 600.0));
    app.add_option("--interval", options.interval_s, "seconds between samples")->check(CLI::Range(0.5, 600.0));
    CLI11_PARSE(app, argc, argv);
    if (!options.server.empty()) ::setenv("PAPAYA_SERVER", options.server.c_str(), 1);
    try {
        Soak soak(options);
        return soak.run();
    } catch (const std::exception& failure) {
        std::cerr << "papaya-soak: " << failure.what() << "\n";
        return 3;
    }
}
