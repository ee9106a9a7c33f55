// Lab 3: multicast with SIGUSR1. Signals of one kind do not queue: ten
// SIGUSR1s sent while a process is busy arrive as one. The original
// papayaChat paused, read 4 KiB and paused again, so the second of two
// messages sent back to back could wait for a third. Here the SEND process
// keeps SIGUSR1 blocked (a wakeup that arrives while it is busy stays
// pending), waits for it with sigwaitinfo(2), and after every wakeup sends
// everything up to the end of the log.
#include "papaya/multicast.hpp"

#include "papaya/connection_io.hpp"
#include "papaya/service_log.hpp"
#include "papaya/signals.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <array>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <exception>
#include <fcntl.h>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace papaya {

// TODO(lab 3): helpers for the functions below, if you want them

SenderGroup SenderGroup::create()
{
    todo(3, "fork the anchor (a process group of its own, leader of the SEND processes) and keep the lifeline pipe");
}

void SenderGroup::join(pid_t pid) const
{
    todo(3, "setpgid(pid, pgid_); an error from the parent's call only means the child got there first", pid);
}

void SenderGroup::notify() const
{
    todo(3, "SIGUSR1 to every process of the group");
}

void SenderGroup::terminate() const { ::kill(-pgid_, SIGTERM); }

void block_wakeup_signal()
{
    todo(3, "block SIGUSR1 with sigprocmask");
}

void run_sender(int client, ChatLogReader& log, std::uint64_t offset)
{
    todo(3, "send the log from offset to its end, wait for SIGUSR1 (sigwaitinfo), repeat", client, log, offset);
}

SenderProcess::SenderProcess(int client, const SenderGroup& group, const std::string& log_path, unsigned history)
{
    todo(3, "pick the history offset (tail_offset) here in RECV, block SIGUSR1, fork; the child runs the SEND role from that offset and never returns", client, group, log_path, history);
}

SenderProcess::~SenderProcess()
{
    todo(3, "SIGTERM the SEND process and reap it (waitpid, retrying on EINTR)");
}

} // namespace papaya
