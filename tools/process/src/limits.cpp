#include "papaya/process/limits.hpp"

#include <sys/resource.h>

#include <cerrno>
#include <fstream>

#include "papaya/syscall_error.hpp"

namespace papaya::process {

std::uint64_t raise_open_files_limit(std::uint64_t hard_wanted)
{
    rlimit limit{};
    papaya::check_syscall(::getrlimit(RLIMIT_NOFILE, &limit), "getrlimit");
    if (hard_wanted > limit.rlim_max) {
        std::uint64_t nr_open = hard_wanted;
        if (std::ifstream in("/proc/sys/fs/nr_open"); in >> nr_open && nr_open < hard_wanted) hard_wanted = nr_open;
        const rlimit raised{hard_wanted, hard_wanted};
        // EPERM without CAP_SYS_RESOURCE: the hard limit stays what it is.
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) return hard_wanted;
        if (errno != EPERM) papaya::throw_syscall_error("setrlimit");
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        papaya::check_syscall(::setrlimit(RLIMIT_NOFILE, &limit), "setrlimit");
    }
    return limit.rlim_cur;
}

} // namespace papaya::process
