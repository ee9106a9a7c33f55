#pragma once
/// @file
/// @brief Reading the process table from /proc, from papaya_process
/// (papaya/process/proc.hpp), under the harness's names.

#include "papaya/process/proc.hpp"

namespace papaya::harness {

using process::become_child_subreaper;
using process::children_of;
using process::children_per_parent;
using process::cpu_time_ns;
using process::descendants_of;
using process::describe;
using process::describe_signal_sets;
using process::environ_contains;
using process::flock_waiters;
using process::FlockWaiter;
using process::list_processes;
using process::process_name;
using process::ProcStat;
using process::ProcStatus;
using process::read_proc_stat;
using process::read_proc_status;
using process::wait_channel;

} // namespace papaya::harness
