#pragma once
// From what one run recorded to the figures of its RunResult, one step per
// function: load, server CPU, throughput, memory, the chat log, and the two
// verdicts (correct: the server lost nothing; valid: the generator kept up).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "delivery_tracker.hpp"
#include "load_generator.hpp"
#include "run.hpp"
#include "sampler.hpp"

namespace bench {

/// The tree snapshots of one run (taken when the sampler could).
struct RunSnapshots {
    std::optional<TreeSnapshot> idle;         ///< after READY, before any client
    std::optional<TreeSnapshot> window_start; ///< when the measurement window opened
    std::optional<TreeSnapshot> window_end;   ///< when it closed
    std::optional<TreeSnapshot> loaded;       ///< every client still connected
};

/// Quantiles of @p histogram (nanoseconds) in microseconds.
LatencySummary summarize_latency(const Histogram& histogram);

/// What the generator saw: deliveries, latencies, rates, its own CPU.
void account_load(const LoadConfig& load, const LoadResult& outcome, const DeliveryTracker& tracker, RunResult& r);

/// Server CPU over the window, from the CPU samples that fall inside it,
/// and the machine's other load beside it.
void account_cpu(const std::vector<CpuSample>& samples, const LoadResult& outcome, RunResult& r);

/// Deliveries (appended lines for append) per second, and server CPU per delivery.
void account_throughput(Workload workload, const LoadResult& outcome, const DeliveryTracker& tracker, RunResult& r);

/// Memory, processes, threads and context switches from the snapshots.
void account_memory(const RunSnapshots& snapshots, RunResult& r);

/// Every message of run @p nonce must be in the chat log at @p path exactly once
/// (chat and append workloads).
void check_log(const std::string& path, std::uint32_t nonce, RunResult& r);

/// Marks @p r incorrect for every loss, duplicate, reordering, disconnect or log mismatch.
void judge_correctness(RunResult& r);

/// Marks @p r invalid when the generator, not the server, limited it.
void judge_validity(const LoadConfig& load, int nice, RunResult& r);

} // namespace bench
