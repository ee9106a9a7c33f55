// Lab 6: becoming a daemon. The first fork lets the shell (or systemd)
// see its child exit; setsid() leaves the terminal's session; the second
// fork makes sure the daemon, no longer a session leader, can never acquire
// a controlling terminal again. A pipe carries "ready" back to the original
// process, so that `papayad --daemon` returns only once clients can connect.
#include "papaya/daemon.hpp"

#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"
#include "papaya/unique_fd.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace papaya {

// TODO(lab 6): helpers for the functions below, if you want them

void DaemonStartup::ready()
{
    todo(6, "tell the waiting original process that the daemon is ready");
}

DaemonStartup::~DaemonStartup()
{
    if (fd_ >= 0) ::close(fd_); // no "ready": the original process exits 1
}

DaemonStartup::DaemonStartup(DaemonStartup&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DaemonStartup daemonize()
{
    todo(6, "fork, setsid, fork again; the original process waits for ready()");
}

Pidfile::Pidfile(std::string path) : path_(std::move(path)), owner_(::getpid())
{
    todo(6, "open and lock (fcntl F_SETLK) the pidfile, refusing a running server's; write our pid");
}

Pidfile::~Pidfile()
{
    todo(6, "remove the pidfile, in the process that wrote it only");
}

} // namespace papaya
