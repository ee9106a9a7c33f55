#include "cgroup.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <string_view>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include "clock.hpp"
#include "file_io.hpp"
#include "proc_parse.hpp"

namespace bench {

namespace {

// Groups left by a papaya-bench that was killed (its server died with it through
// PDEATHSIG, leaving an empty group): "papaya-bench-<pid>-<n>" whose pid is gone.
void remove_stale_groups(const std::string& parent)
{
    DIR* d = ::opendir(parent.c_str());
    if (!d) return;
    std::vector<std::string> stale;
    constexpr std::string_view prefix = "papaya-bench-";
    while (const dirent* e = ::readdir(d)) {
        const std::string_view n = e->d_name;
        if (n.substr(0, prefix.size()) != prefix) continue;
        const std::string_view digits = n.substr(prefix.size());
        pid_t pid = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
        if (error != std::errc{} || end != digits.data() + digits.size()) continue; // not one of ours
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) stale.emplace_back(n);
    }
    ::closedir(d);
    for (const auto& n : stale) ::rmdir((parent + "/" + n).c_str()); // EBUSY: still occupied, leave it
}

// <mount><our own group's path>/<name>, created; "" when that fails.
std::string make_group(const std::string& mounts, const std::string& self, std::string_view controller,
                       const std::string& name)
{
    const auto mount = parse_cgroup_mount(mounts, controller);
    const auto path = parse_proc_cgroup(self, controller);
    if (!mount || !path) return {};
    const std::string parent = *mount + (*path == "/" ? std::string() : *path);
    remove_stale_groups(parent);
    std::string dir = parent + "/" + name;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return {};
    return dir;
}

} // namespace

std::unique_ptr<Cgroup> Cgroup::create(const std::string& name)
{
    const auto mounts = try_read_file("/proc/mounts");
    const auto self = try_read_file("/proc/self/cgroup");
    if (!mounts || !self) return nullptr;
    std::unique_ptr<Cgroup> g(new Cgroup);

    if (auto dir = make_group(*mounts, *self, "", name); !dir.empty()) {
        g->dirs_.push_back(dir);
        g->procs_files_.push_back(dir + "/cgroup.procs");
        if (try_read_file(dir + "/cpu.stat")) {
            g->cpu_file_ = dir + "/cpu.stat";
            g->cpu_v2_ = true;
            g->cpu_source_ = "cgroup v2 cpu.stat";
        }
        if (try_read_file(dir + "/memory.current")) {
            g->memory_file_ = dir + "/memory.current";
            g->memory_source_ = "cgroup v2 memory.current";
        }
        if (::access((dir + "/cgroup.kill").c_str(), W_OK) == 0) g->kill_file_ = dir + "/cgroup.kill";
    }
    if (g->cpu_file_.empty()) {
        if (auto dir = make_group(*mounts, *self, "cpuacct", name); !dir.empty()) {
            g->dirs_.push_back(dir);
            g->procs_files_.push_back(dir + "/cgroup.procs");
            g->cpu_file_ = dir + "/cpuacct.usage";
            g->cpu_source_ = "cgroup v1 cpuacct.usage";
        }
    }
    if (g->memory_file_.empty()) {
        if (auto dir = make_group(*mounts, *self, "memory", name); !dir.empty()) {
            g->dirs_.push_back(dir);
            g->procs_files_.push_back(dir + "/cgroup.procs");
            g->memory_file_ = dir + "/memory.usage_in_bytes";
            g->memory_source_ = "cgroup v1 memory.usage_in_bytes";
        }
    }
    if (g->cpu_file_.empty()) return nullptr; // the destructor removes what was made
    return g;
}

Cgroup::~Cgroup()
{
    kill_all();
    // rmdir fails with EBUSY until the killed tasks are gone: bounded wait.
    const std::int64_t deadline = now_ns() + 3'000'000'000;
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
        while (::rmdir(it->c_str()) != 0 && errno == EBUSY && now_ns() < deadline) {
            kill_all();
            ::usleep(5000); // no event tells when a killed task has left the group
        }
    }
}

std::optional<std::uint64_t> Cgroup::cpu_ns() const
{
    const auto text = try_read_file(cpu_file_);
    if (!text) return std::nullopt;
    return cpu_v2_ ? parse_cpu_stat_usage_ns(*text) : parse_single_u64(*text);
}

std::optional<std::uint64_t> Cgroup::memory_bytes() const
{
    if (memory_file_.empty()) return std::nullopt;
    const auto text = try_read_file(memory_file_);
    if (!text) return std::nullopt;
    return parse_single_u64(*text);
}

std::vector<int> Cgroup::pids() const
{
    std::vector<int> out;
    if (procs_files_.empty()) return out;
    const auto text = try_read_file(procs_files_.front());
    if (!text) return out;
    std::size_t pos = 0;
    while (pos < text->size()) {
        const auto nl = text->find('\n', pos);
        const auto line = text->substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        if (auto v = parse_single_u64(line)) out.push_back(static_cast<int>(*v));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return out;
}

void Cgroup::kill_all() const noexcept
{
    if (!kill_file_.empty() && try_write_file(kill_file_, "1")) return;
    try {
        for (int pid : pids())
            if (pid > 0) ::kill(pid, SIGKILL);
    } catch (...) {
    }
}

} // namespace bench
