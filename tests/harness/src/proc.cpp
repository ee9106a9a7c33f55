#include "papaya/harness/proc.hpp"

#include <dirent.h>
#include <sys/prctl.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "papaya/harness/temp_dir.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::harness {

namespace {

std::string proc_file(pid_t pid, const char* name)
{
    try {
        return read_file("/proc/" + std::to_string(pid) + "/" + name);
    } catch (const std::system_error&) {
        return {};  // gone, or not ours to read: treated as absent
    }
}

template <typename T>
T parse_number(std::string_view text)
{
    T value{};
    std::from_chars(text.data(), text.data() + text.size(), value);
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

std::optional<ProcStat> read_proc_stat(pid_t pid)
{
    const std::string text = proc_file(pid, "stat");
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and ')'.
    const auto open = text.find('(');
    const auto close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
    ProcStat stat;
    stat.pid = pid;
    stat.name = text.substr(open + 1, close - open - 1);
    std::istringstream rest{text.substr(close + 1)};
    long ppid = 0;
    long pgid = 0;
    long sid = 0;
    if (!(rest >> stat.state >> ppid >> pgid >> sid)) return std::nullopt;
    stat.ppid = static_cast<pid_t>(ppid);
    stat.pgid = static_cast<pid_t>(pgid);
    stat.sid = static_cast<pid_t>(sid);
    return stat;
}

unsigned long long cpu_time_ns(pid_t pid)
{
    // /proc/PID/schedstat counts the main thread only: a Go server runs on
    // several threads, so add up every task of the process.
    std::error_code error;
    const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
    unsigned long long ns = 0;
    for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
        std::ifstream schedstat(task.path() / "schedstat");
        unsigned long long task_ns = 0;
        if (schedstat >> task_ns) ns += task_ns;
    }
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
        }
    }
    return status;
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
    const std::string environ = proc_file(pid, "environ");
    std::string_view rest{environ};
    while (!rest.empty()) {
        const auto end = rest.find('\0');
        if (rest.substr(0, end) == entry) return true;
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
    }
    return false;
}

std::string describe(const std::vector<ProcStat>& processes)
{
    std::string text;
    for (const auto& p : processes) {
        text += "  pid " + std::to_string(p.pid) + " ppid " + std::to_string(p.ppid) + " pgid "
                + std::to_string(p.pgid) + " state " + p.state + " name " + p.name + "\n";
    }
    return text.empty() ? "  (none)\n" : text;
}

void become_child_subreaper()
{
    static std::once_flag once;
    std::call_once(once, [] { papaya::check_syscall(::prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L), "prctl"); });
}

} // namespace papaya::harness
