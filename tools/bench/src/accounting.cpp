#include "accounting.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "codec.hpp"
#include "file_io.hpp"

namespace bench {

namespace {

void add_error(RunResult& r, const std::string& error)
{
    r.correct = false;
    r.errors += (r.errors.empty() ? "" : "; ") + error;
}

void add_invalid_reason(RunResult& r, const std::string& why)
{
    r.valid = false;
    r.invalid_reason += (r.invalid_reason.empty() ? "" : "; ") + why;
}

std::string whole(double value) { return std::to_string(static_cast<long>(value)); }

} // namespace

LatencySummary summarize_latency(const Histogram& histogram)
{
    LatencySummary s;
    s.count = histogram.count();
    s.p50_us = static_cast<double>(histogram.quantile(0.5)) / 1e3;
    s.p90_us = static_cast<double>(histogram.quantile(0.9)) / 1e3;
    s.p99_us = static_cast<double>(histogram.quantile(0.99)) / 1e3;
    s.p999_us = static_cast<double>(histogram.quantile(0.999)) / 1e3;
    s.max_us = static_cast<double>(histogram.max()) / 1e3;
    return s;
}

void account_load(const LoadConfig& load, const LoadResult& outcome, const DeliveryTracker& tracker, RunResult& r)
{
    r.counts = tracker.counts();
    r.latency = summarize_latency(tracker.latency());
    r.fanout = summarize_latency(tracker.fanout_completion());
    r.drained = outcome.drained;
    r.disconnects = outcome.disconnects;
    r.ramp_s = outcome.ramp_s;
    r.barrier_s = outcome.barrier_s;
    r.intended_rate = outcome.intended_rate;
    r.achieved_rate = outcome.achieved_rate;
    r.send_lag_p99_us = static_cast<double>(outcome.send_lag.quantile(0.99)) / 1e3;
    r.max_backlog_bytes = outcome.max_backlog_bytes;
    const double window_ns = load.measure_s * 1e9;
    r.generator_cpu_percent = 100.0 * static_cast<double>(outcome.generator_cpu_ns) / window_ns;
    r.generator_wait_percent = 100.0 * static_cast<double>(outcome.generator_wait_ns) / window_ns;
}

void account_cpu(const std::vector<CpuSample>& samples, const LoadResult& outcome, RunResult& r)
{
    std::optional<CpuSample> first;
    std::optional<CpuSample> last;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const auto& a = samples[i - 1];
        const auto& b = samples[i];
        if (a.t_ns < outcome.measure_start_ns || b.t_ns > outcome.measure_end_ns || b.t_ns <= a.t_ns) continue;
        r.cpu_percent.push_back(100.0 * static_cast<double>(b.cpu_ns - a.cpu_ns) /
                                static_cast<double>(b.t_ns - a.t_ns));
        if (!first) first = a;
        last = b;
    }
    r.cpu = summarize(r.cpu_percent);
    if (!first || !last) return;
    const auto elapsed_ns = static_cast<double>(last->t_ns - first->t_ns);
    r.window_s = elapsed_ns / 1e9;
    r.server_cpu_s = static_cast<double>(last->cpu_ns - first->cpu_ns) / 1e9;
    r.system_busy_percent = 100.0 * static_cast<double>(last->system_busy_ns - first->system_busy_ns) / elapsed_ns;
    r.other_load_percent = std::max(0.0, r.system_busy_percent - r.cpu.mean - r.generator_cpu_percent);
}

void account_throughput(Workload workload, const LoadResult& outcome, const DeliveryTracker& tracker, RunResult& r)
{
    const double measure_s = static_cast<double>(outcome.measure_end_ns - outcome.measure_start_ns) / 1e9;
    // append (the chat-log stage) delivers nothing: its unit of work is one line appended to the log.
    const auto units = workload == Workload::append ? outcome.sent_in_window : tracker.delivered_in_window();
    r.deliveries_per_s = static_cast<double>(units) / measure_s;
    if (r.deliveries_per_s > 0 && r.window_s > 0)
        r.cpu_us_per_delivery = (r.server_cpu_s / r.window_s) / r.deliveries_per_s * 1e6;
}

void account_memory(const RunSnapshots& snapshots, RunResult& r)
{
    if (const auto& idle = snapshots.idle) {
        r.pss_idle = idle->pss_bytes;
        r.cgmem_idle = idle->cgroup_memory_bytes.value_or(0);
    }
    if (const auto& loaded = snapshots.loaded) {
        r.pss_loaded = loaded->pss_bytes;
        r.cgmem_loaded = loaded->cgroup_memory_bytes.value_or(0);
        r.processes = loaded->processes;
        r.threads = loaded->threads;
        r.mem_per_client = (static_cast<double>(r.pss_loaded) - static_cast<double>(r.pss_idle)) / r.clients;
    }
    const auto& start = snapshots.window_start;
    const auto& end = snapshots.window_end;
    if (start && end && end->t_ns > start->t_ns && end->context_switches >= start->context_switches) {
        r.context_switches_per_s = static_cast<double>(end->context_switches - start->context_switches) /
                                   (static_cast<double>(end->t_ns - start->t_ns) / 1e9);
    }
}

void check_log(const std::string& path, std::uint32_t nonce, RunResult& r)
{
    const auto text = try_read_file(path);
    if (!text) return;
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> seen;
    std::size_t pos = 0;
    while (pos < text->size()) {
        const auto nl = text->find('\n', pos);
        if (nl == std::string::npos) break;
        const auto stamp = decode(std::string_view(*text).substr(pos, nl - pos));
        pos = nl + 1;
        if (!stamp || stamp->nonce != nonce || stamp->kind != Kind::message) continue;
        ++r.log_records;
        ++seen[{stamp->sender, stamp->seq}];
    }
    for (const auto& [message, count] : seen) {
        if (count > 1) r.log_duplicated += static_cast<std::uint64_t>(count - 1);
    }
    r.log_missing = r.counts.sent > seen.size() ? r.counts.sent - seen.size() : 0;
    r.log_checked = true;
}

void judge_correctness(RunResult& r)
{
    const auto& c = r.counts;
    if (c.lost) add_error(r, std::to_string(c.lost) + " deliveries LOST");
    if (c.duplicated) add_error(r, std::to_string(c.duplicated) + " deliveries DUPLICATED");
    if (c.out_of_order) add_error(r, std::to_string(c.out_of_order) + " deliveries OUT OF ORDER");
    if (c.phantom) add_error(r, std::to_string(c.phantom) + " corrupted or unknown messages");
    if (c.foreign_lines) add_error(r, std::to_string(c.foreign_lines) + " foreign lines");
    if (r.disconnects) add_error(r, std::to_string(r.disconnects) + " connections closed by the server");
    if (r.log_checked && r.log_missing)
        add_error(r, std::to_string(r.log_missing) + " messages MISSING from the chat log");
    if (r.log_checked && r.log_duplicated)
        add_error(r, std::to_string(r.log_duplicated) + " DUPLICATE records in the chat log");
    if (c.sent == 0) add_error(r, "nothing was sent");
}

void judge_validity(const LoadConfig& load, int nice, RunResult& r)
{
    const double lag_limit_us = std::max(5000.0, 5.0 * static_cast<double>(load.tick_ns) / 1e3);
    if (r.send_lag_p99_us > lag_limit_us)
        add_invalid_reason(r, "generator late: send lag p99 " + whole(r.send_lag_p99_us) + " us");
    if (r.generator_wait_percent > 10) {
        add_invalid_reason(r, "generator starved: runnable but not running " + whole(r.generator_wait_percent) +
                                  "% of the window");
    }
    if (r.generator_cpu_percent > 90) add_invalid_reason(r, "generator CPU " + whole(r.generator_cpu_percent) + "%");
    if (r.intended_rate > 0 && r.achieved_rate < 0.95 * r.intended_rate)
        add_invalid_reason(r, "achieved rate below 95% of intended");
    // Other work on the machine is recorded (other_load_pct) and invalidates a run only
    // through its effect on the generator, unless nothing protects the run from it.
    if (r.other_load_percent > 25 && nice >= 0)
        add_invalid_reason(r, "machine busy with other work: " + whole(r.other_load_percent) + "% of a core");
    if (r.cpu_percent.size() < 2) add_invalid_reason(r, "fewer than 2 CPU samples in the window");
}

} // namespace bench
