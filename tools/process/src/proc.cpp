#include "papaya/process/proc.hpp"

#include <dirent.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "papaya/process/temp_dir.hpp"
#include "papaya/process/words.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::process {

namespace {

std::string proc_file(pid_t pid, const char* name)
{
    try {
        return read_file("/proc/" + std::to_string(pid) + "/" + name);
    } catch (const std::system_error&) {
        return {}; // gone, or not ours to read: treated as absent
    }
}

template <typename T>
T parse_number(std::string_view text, int base = 10)
{
    T value{};
    std::from_chars(text.data(), text.data() + text.size(), value, base);
    return value;
}

template <typename T>
std::vector<T> parse_numbers(std::string_view text)
{
    std::vector<T> values;
    std::istringstream in{std::string(text)};
    long long value = 0;
    while (in >> value) values.push_back(static_cast<T>(value));
    return values;
}

} // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text)
{
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and ')'.
    const auto open = text.find('(');
    const auto close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
    ProcStat stat;
    stat.pid = parse_number<pid_t>(text.substr(0, open));
    stat.name = text.substr(open + 1, close - open - 1);
    std::istringstream rest{std::string(text.substr(close + 1))};
    long ppid = 0;
    long pgid = 0;
    long sid = 0;
    if (!(rest >> stat.state >> ppid >> pgid >> sid)) return std::nullopt;
    stat.ppid = static_cast<pid_t>(ppid);
    stat.pgid = static_cast<pid_t>(pgid);
    stat.sid = static_cast<pid_t>(sid);
    return stat;
}

std::optional<ProcStat> read_proc_stat(pid_t pid)
{
    auto stat = parse_proc_stat(proc_file(pid, "stat"));
    if (stat) stat->pid = pid;
    return stat;
}

std::optional<Schedstat> parse_schedstat(std::string_view text)
{
    const auto values = parse_numbers<std::uint64_t>(text);
    if (values.size() < 3) return std::nullopt;
    return Schedstat{.run_ns = values[0], .wait_ns = values[1], .slices = values[2]};
}

std::uint64_t cpu_time_ns(pid_t pid)
{
    // /proc/PID/schedstat counts the main thread only: a Go server runs on
    // several threads, so add up every task of the process.
    std::error_code error;
    const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
    std::uint64_t ns = 0;
    for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
        std::string text;
        try {
            text = read_file(task.path() / "schedstat");
        } catch (const std::system_error&) {
            continue; // the thread ended meanwhile
        }
        if (const auto schedstat = parse_schedstat(text)) ns += schedstat->run_ns;
    }
    return ns;
}

std::uint64_t cpu_time_ns(const std::vector<pid_t>& pids)
{
    std::uint64_t ns = 0;
    for (const pid_t pid : pids) ns += cpu_time_ns(pid);
    return ns;
}

std::optional<ProcStatus> read_proc_status(pid_t pid)
{
    const std::string text = proc_file(pid, "status");
    if (text.empty()) return std::nullopt;
    ProcStatus status;
    std::istringstream lines{text};
    std::string line;
    while (std::getline(lines, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string_view key{line.data(), colon};
        std::string_view value{line};
        value.remove_prefix(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        if (key == "Name") {
            status.name = value;
        } else if (key == "State") {
            status.state = value.empty() ? '?' : value.front();
        } else if (key == "PPid") {
            status.ppid = parse_number<pid_t>(value);
        } else if (key == "Uid") {
            const auto ids = parse_numbers<uid_t>(value);
            for (std::size_t i = 0; i < status.uid.size() && i < ids.size(); ++i) status.uid[i] = ids[i];
        } else if (key == "Gid") {
            const auto ids = parse_numbers<gid_t>(value);
            for (std::size_t i = 0; i < status.gid.size() && i < ids.size(); ++i) status.gid[i] = ids[i];
        } else if (key == "Groups") {
            status.groups = parse_numbers<gid_t>(value);
        } else if (key == "SigBlk") {
            status.sig_blocked = parse_number<std::uint64_t>(value, 16);
        } else if (key == "SigIgn") {
            status.sig_ignored = parse_number<std::uint64_t>(value, 16);
        } else if (key == "SigCgt") {
            status.sig_caught = parse_number<std::uint64_t>(value, 16);
        }
    }
    return status;
}

std::string describe_signal_sets(const ProcStatus& status)
{
    const auto names = [](std::uint64_t mask) {
        std::string out;
        for (int signo = 1; signo <= 64; ++signo) {
            if ((mask >> (signo - 1) & 1U) == 0) continue;
            if (signo >= 32 && signo < SIGRTMIN) continue; // the C library's own, not the program's
            const char* abbrev = signo < SIGRTMIN ? ::sigabbrev_np(signo) : nullptr;
            out += (out.empty() ? "" : " ") +
                   (abbrev ? "SIG" + std::string(abbrev) : "SIGRTMIN+" + std::to_string(signo - SIGRTMIN));
        }
        return out.empty() ? std::string("none") : out;
    };
    return "blocked: " + names(status.sig_blocked) + "; ignored: " + names(status.sig_ignored) +
           "; caught: " + names(status.sig_caught);
}

std::vector<FlockWaiter> flock_waiters(const std::filesystem::path& file)
{
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) throw_syscall_error("stat");
    char device[32];
    std::snprintf(device, sizeof device, "%02x:%02x:", major(st.st_dev), minor(st.st_dev));
    const std::string wanted = device + std::to_string(st.st_ino);
    // "1: -> FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF": "->" marks a waiter.
    std::vector<FlockWaiter> waiters;
    std::istringstream lines{read_file("/proc/locks")};
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words{line};
        std::string id, arrow, type, mode, access, where;
        pid_t pid = 0;
        if (!(words >> id >> arrow) || arrow != "->") continue;
        if (!(words >> type >> mode >> access >> pid >> where) || type != "FLOCK" || where != wanted) continue;
        waiters.push_back(FlockWaiter{.pid = pid, .write = access == "WRITE"});
    }
    return waiters;
}

std::string wait_channel(pid_t pid)
{
    const std::string text = proc_file(pid, "wchan");
    return text == "0" ? std::string() : text;
}

std::string process_name(pid_t pid)
{
    const auto stat = read_proc_stat(pid);
    return stat ? stat->name : std::string{};
}

std::vector<ProcStat> list_processes()
{
    std::vector<ProcStat> table;
    const std::unique_ptr<DIR, int (*)(DIR*)> dir{::opendir("/proc"), &::closedir};
    if (!dir) papaya::throw_syscall_error("opendir");
    while (const dirent* entry = ::readdir(dir.get())) {
        const std::string_view name{entry->d_name};
        if (name.empty() || name.find_first_not_of("0123456789") != std::string_view::npos) continue;
        if (auto stat = read_proc_stat(parse_number<pid_t>(name))) table.push_back(std::move(*stat));
    }
    return table;
}

std::vector<ProcStat> descendants_of(pid_t ancestor, const std::vector<ProcStat>& table)
{
    std::set<pid_t> found{ancestor};
    std::vector<ProcStat> result;
    // Fixpoint over the table: a process is a descendant when its parent is one.
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& p : table) {
            if (!found.contains(p.pid) && found.contains(p.ppid)) {
                found.insert(p.pid);
                result.push_back(p);
                grew = true;
            }
        }
    }
    return result;
}

std::map<pid_t, std::size_t> children_per_parent(const std::vector<ProcStat>& table)
{
    std::map<pid_t, std::size_t> counts;
    for (const auto& p : table) ++counts[p.ppid];
    return counts;
}

std::vector<ProcStat> children_of(pid_t parent, const std::vector<ProcStat>& table)
{
    std::vector<ProcStat> children;
    for (const auto& p : table) {
        if (p.ppid == parent) children.push_back(p);
    }
    return children;
}

bool environ_contains(pid_t pid, std::string_view entry)
{
    return list_contains(proc_file(pid, "environ"), '\0', entry);
}

std::string describe(const std::vector<ProcStat>& processes)
{
    std::string text;
    for (const auto& p : processes) {
        text += "  pid " + std::to_string(p.pid) + " ppid " + std::to_string(p.ppid) + " pgid " +
                std::to_string(p.pgid) + " state " + p.state + " name " + p.name + "\n";
    }
    return text.empty() ? "  (none)\n" : text;
}

void become_child_subreaper()
{
    static std::once_flag once;
    std::call_once(once, [] { papaya::check_syscall(::prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L), "prctl"); });
}

} // namespace papaya::process
