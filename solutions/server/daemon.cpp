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

// @lab 6: helpers for the functions below, if you want them
namespace {

constexpr char ready_byte = 'R';

/// In the original process: wait for the daemon's word, then leave.
[[noreturn]] void wait_for_daemon(UniqueFd from_daemon, pid_t first_child)
{
    char byte = 0;
    ssize_t n;
    do {
        n = ::read(from_daemon.get(), &byte, 1);
    } while (n < 0 && errno == EINTR);
    while (::waitpid(first_child, nullptr, 0) < 0 && errno == EINTR) {
    }
    _exit(n == 1 && byte == ready_byte ? 0 : 1);
}

void redirect_to_dev_null()
{
    UniqueFd null(check_syscall(::open("/dev/null", O_RDWR | O_CLOEXEC), "open", "/dev/null"));
    for (int fd = 0; fd <= 2; ++fd) check_syscall(::dup2(null.get(), fd), "dup2");
}

} // namespace
// @end

void DaemonStartup::ready()
{
    // @lab 6: tell the waiting original process that the daemon is ready
    if (fd_ < 0) return;
    redirect_to_dev_null();
    char byte = ready_byte;
    while (::write(fd_, &byte, 1) < 0 && errno == EINTR) {
    }
    ::close(std::exchange(fd_, -1));
    // @end
}

DaemonStartup::~DaemonStartup()
{
    if (fd_ >= 0) ::close(fd_); // no "ready": the original process exits 1
}

DaemonStartup::DaemonStartup(DaemonStartup&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DaemonStartup daemonize()
{
    // @lab 6: fork, setsid, fork again; the original process waits for ready()
    int ends[2];
    check_syscall(::pipe2(ends, O_CLOEXEC), "pipe2");
    UniqueFd from_daemon(ends[0]);
    UniqueFd to_parent(ends[1]);

    // [slide: daemonize]
    const pid_t first = check_syscall(::fork(), "fork");
    if (first > 0) {
        to_parent.reset();
        wait_for_daemon(std::move(from_daemon), first);
    }
    from_daemon.reset();
    if (::setsid() < 0) _exit(1);
    const pid_t second = ::fork();
    if (second < 0) _exit(1);
    if (second > 0) _exit(0);
    // [/slide]

    check_syscall(::chdir("/"), "chdir");
    ::umask(027);
    return DaemonStartup(to_parent.release());
    // @end
}

Pidfile::Pidfile(std::string path) : path_(std::move(path)), owner_(::getpid())
{
    // @lab 6: open and lock (fcntl F_SETLK) the pidfile, refusing a running server's; write our pid
    fd_.reset(::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd_) throw_syscall_error("open", path_);
    // [slide: pidfile_lock]
    // An fcntl(2) lock, unlike a flock(2) lock, belongs to the process and is
    // not inherited by fork(): it says "this daemon is alive" and vanishes
    // with it, even after SIGKILL, whatever became of the file.
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    if (::fcntl(fd_.get(), F_SETLK, &lock) < 0) {
        // [/slide]
        if (errno != EAGAIN && errno != EACCES) throw_syscall_error("fcntl", "F_SETLK " + path_);
        std::string running;
        std::ifstream(path_) >> running;
        throw std::runtime_error("pidfile " + path_ + " is locked by running process " + running +
                                 "; is the server already running?");
    }
    const std::string text = std::to_string(owner_) + "\n";
    check_syscall(::ftruncate(fd_.get(), 0), "ftruncate", path_);
    if (::pwrite(fd_.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
        throw_syscall_error("pwrite", path_);
    // @end
}

Pidfile::~Pidfile()
{
    // @lab 6: remove the pidfile, in the process that wrote it only
    // Children share this object's memory after fork but not the file. After
    // dropping root the unlink may fail (e.g. in /run): the stale file is
    // harmless, since the lock that matters died with us.
    if (::getpid() == owner_) ::unlink(path_.c_str());
    // @end
}

} // namespace papaya
