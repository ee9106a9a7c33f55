#include "server_resources.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace papaya::integration {

namespace {

/// The value of field @p name (in kB) of /proc/PID/smaps_rollup, in bytes.
std::uint64_t smaps_field(pid_t pid, std::string_view name)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ':') {
            std::istringstream fields(line.substr(name.size() + 1));
            std::uint64_t kib = 0;
            fields >> kib;
            return kib * 1024;
        }
    }
    return 0;
}

std::size_t count_entries(const std::string& dir)
{
    std::error_code error;
    std::size_t n = 0;
    for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) ++n;
    return n;
}

} // namespace

std::string ServerResources::describe() const
{
    std::ostringstream text;
    text << processes << " processes, " << zombies << " zombies, " << threads << " threads, " << fds << " fds, PSS "
         << static_cast<double>(pss_bytes) / (1024.0 * 1024.0) << " MiB, RSS "
         << static_cast<double>(rss_bytes) / (1024.0 * 1024.0) << " MiB";
    return text.str();
}

ServerResources measure_resources(harness::ServerProcess& server)
{
    ServerResources resources;
    for (const auto& process : server.processes()) {
        if (process.state == 'Z' || process.state == 'X') {
            ++resources.zombies;
            continue;
        }
        ++resources.processes;
        const std::string proc = "/proc/" + std::to_string(process.pid);
        resources.threads += count_entries(proc + "/task");
        resources.fds += count_entries(proc + "/fd");
        resources.pss_bytes += smaps_field(process.pid, "Pss");
        resources.rss_bytes += smaps_field(process.pid, "Rss");
    }
    return resources;
}

} // namespace papaya::integration
