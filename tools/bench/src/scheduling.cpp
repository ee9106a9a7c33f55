#include "scheduling.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "file_io.hpp"
#include "papaya/syscall_error.hpp"

namespace bench {

CpuPin::CpuPin(int cpu)
{
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    papaya::check_syscall(::sched_setaffinity(0, sizeof set, &set), "sched_setaffinity");
    pinned_ = true;
}

CpuPin::~CpuPin()
{
    if (!pinned_) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    const long count = ::sysconf(_SC_NPROCESSORS_ONLN);
    for (long i = 0; i < count; ++i) CPU_SET(static_cast<int>(i), &set);
    ::sched_setaffinity(0, sizeof set, &set); // best effort: a destructor cannot report
}

Niceness::Niceness(int nice)
{
    if (nice == 0) return;
    // The generator's session: with autogroups, nice only ranks tasks inside
    // their group; the group's own nice ranks it against other sessions' work.
    // (The autogroup keeps it: the tool's session is the tool's.)
    try_write_file("/proc/self/autogroup", std::to_string(nice));
    old_ = ::getpriority(PRIO_PROCESS, 0);
    if (::setpriority(PRIO_PROCESS, 0, nice) == 0) {
        changed_ = true;
    } else if (errno != EACCES && errno != EPERM) {
        papaya::throw_syscall_error("setpriority");
    }
}

Niceness::~Niceness()
{
    if (changed_) ::setpriority(PRIO_PROCESS, 0, old_);
}

} // namespace bench
