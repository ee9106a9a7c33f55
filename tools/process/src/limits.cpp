#include "papaya/process/limits.hpp"

#include <sys/resource.h>

#include "papaya/syscall_error.hpp"

namespace papaya::process {

std::uint64_t raise_open_files_limit()
{
    rlimit limit{};
    papaya::check_syscall(::getrlimit(RLIMIT_NOFILE, &limit), "getrlimit");
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        papaya::check_syscall(::setrlimit(RLIMIT_NOFILE, &limit), "setrlimit");
    }
    return limit.rlim_cur;
}

} // namespace papaya::process
