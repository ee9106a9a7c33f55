#include "sampler.hpp"

#include <chrono>
#include <dirent.h>
#include <unistd.h>

#include "clock.hpp"
#include "file_io.hpp"
#include "papaya/process/proc.hpp"
#include "proc_parse.hpp"

namespace bench {

namespace {

std::vector<std::string> list_dir(const std::string& path)
{
    std::vector<std::string> names;
    DIR* d = ::opendir(path.c_str());
    if (!d) return names;
    while (const dirent* e = ::readdir(d))
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9') names.emplace_back(e->d_name);
    ::closedir(d);
    return names;
}

} // namespace

std::vector<int> tree_pids(const Cgroup* group, int root)
{
    if (group) return group->pids();
    std::vector<int> pids{root};
    for (const auto& process : papaya::process::descendants_of(root, papaya::process::list_processes()))
        pids.push_back(process.pid);
    return pids;
}

TreeSnapshot snapshot_tree(const Cgroup* group, int root)
{
    TreeSnapshot snap;
    snap.t_ns = now_ns();
    const auto pids = tree_pids(group, root);
    for (int pid : pids) {
        const std::string dir = "/proc/" + std::to_string(pid);
        const auto status = try_read_file(dir + "/status");
        const auto fields = status ? parse_status(*status) : std::nullopt;
        if (!fields) continue; // exited meanwhile
        ++snap.processes;
        snap.threads += fields->threads;
        // A process's status counts only its main thread's switches: sum the tasks.
        if (fields->threads <= 1) {
            snap.context_switches += fields->voluntary_ctxt + fields->nonvoluntary_ctxt;
        } else {
            for (const auto& tid : list_dir(dir + "/task")) {
                const auto task_status = try_read_file(dir + "/task/" + tid + "/status");
                const auto task_fields = task_status ? parse_status(*task_status) : std::nullopt;
                if (task_fields) snap.context_switches += task_fields->voluntary_ctxt + task_fields->nonvoluntary_ctxt;
            }
        }
        if (auto rollup = try_read_file(dir + "/smaps_rollup"))
            if (auto pss = parse_smaps_rollup_pss(*rollup)) snap.pss_bytes += *pss;
    }
    if (group) {
        snap.cgroup_memory_bytes = group->memory_bytes();
        snap.cpu_ns = group->cpu_ns().value_or(0);
    } else {
        snap.cpu_ns = papaya::process::cpu_time_ns(pids);
    }
    return snap;
}

namespace {
std::uint64_t system_busy_ns()
{
    static const long hz = ::sysconf(_SC_CLK_TCK);
    const auto text = try_read_file("/proc/stat");
    const auto ticks = text ? parse_proc_stat_busy_ticks(*text) : std::nullopt;
    return ticks ? *ticks * (1'000'000'000 / static_cast<std::uint64_t>(hz > 0 ? hz : 100)) : 0;
}
} // namespace

Sampler::Sampler(const Cgroup* group, int root, std::chrono::milliseconds interval)
    : group_(group), root_(root), interval_(interval)
{
    samples_.push_back({now_ns(), read_cpu(), system_busy_ns()});
    thread_ = std::thread([this] { loop(); });
    snapshot_thread_ = std::thread([this] { snapshot_loop(); });
}

Sampler::~Sampler() { stop(); }

std::string cpu_source_of(const Cgroup* group)
{
    return group ? group->cpu_source() : std::string("/proc/<pid>/task/*/schedstat summed over the live tree");
}

std::string Sampler::cpu_source() const { return cpu_source_of(group_); }

std::uint64_t Sampler::read_cpu() const
{
    if (group_)
        if (auto v = group_->cpu_ns()) return *v;
    return papaya::process::cpu_time_ns(tree_pids(nullptr, root_));
}

int Sampler::request_snapshot()
{
    std::lock_guard lock(mutex_);
    snapshots_.emplace_back();
    ++pending_snapshots_;
    snapshot_wake_.notify_one();
    return static_cast<int>(snapshots_.size() - 1);
}

void Sampler::wait_snapshots()
{
    std::unique_lock lock(mutex_);
    taken_.wait(lock, [this] { return pending_snapshots_ == 0 && !in_snapshot_; });
}

void Sampler::stop()
{
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    snapshot_wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (snapshot_thread_.joinable()) snapshot_thread_.join();
}

std::vector<CpuSample> Sampler::samples() const
{
    std::lock_guard lock(mutex_);
    return samples_;
}

std::optional<TreeSnapshot> Sampler::snapshot(int slot) const
{
    std::lock_guard lock(mutex_);
    if (slot < 0 || static_cast<std::size_t>(slot) >= snapshots_.size()) return std::nullopt;
    return snapshots_[static_cast<std::size_t>(slot)];
}

void Sampler::loop()
{
    // Samples fall on a fixed grid (start + k * interval), not "interval after
    // the last one", so the intervals do not drift with the cost of sampling.
    const auto period = interval_;
    auto next = std::chrono::steady_clock::now() + period;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait_until(lock, next, [this] { return stop_; });
        if (stop_) return;
        if (std::chrono::steady_clock::now() < next) continue;
        lock.unlock();
        const CpuSample s{now_ns(), read_cpu(), system_busy_ns()};
        lock.lock();
        samples_.push_back(s);
        next += period;
        const auto now = std::chrono::steady_clock::now();
        while (next <= now) next += period; // a late sample skips grid points, never bunches
    }
}

// Snapshots of a 2000-process tree take a while: in their own thread, so they
// never delay a CPU sample.
void Sampler::snapshot_loop()
{
    std::unique_lock lock(mutex_);
    for (;;) {
        snapshot_wake_.wait(lock, [this] { return stop_ || pending_snapshots_ > 0; });
        if (stop_) return;
        const std::size_t slot = snapshots_.size() - static_cast<std::size_t>(pending_snapshots_);
        --pending_snapshots_;
        in_snapshot_ = true;
        lock.unlock();
        TreeSnapshot snap = snapshot_tree(group_, root_);
        lock.lock();
        snapshots_[slot] = snap;
        in_snapshot_ = false;
        taken_.notify_all();
    }
}

} // namespace bench
