#pragma once
/// @file
/// @brief Lab 6: running as a daemon, and the pidfile.

#include "papaya/unique_fd.hpp"

#include <string>

namespace papaya {

/// The daemon's end of the start-up handshake with the process that started it.
class DaemonStartup {
public:
    /// Tells the waiting original process that the service is ready; it exits 0.
    /// Also moves stdin, stdout and stderr to /dev/null.
    void ready();
    /// Closes the handshake without ready(): the original process exits 1.
    ~DaemonStartup();

    DaemonStartup(const DaemonStartup&) = delete;
    DaemonStartup& operator=(const DaemonStartup&) = delete;
    /// Moves the handshake.
    DaemonStartup(DaemonStartup&& other) noexcept;
    DaemonStartup& operator=(DaemonStartup&&) = delete;

private:
    friend DaemonStartup daemonize();
    explicit DaemonStartup(int fd) : fd_(fd) {}
    int fd_;
};

/// Detaches from the terminal: fork, setsid, fork again, chdir("/"). Returns
/// in the daemon only; the original process waits until ready() (exit 0) or
/// until the daemon gives up (exit 1), so `papayad --daemon` returns when the
/// service accepts clients.
/// @throws std::system_error naming the failing call.
DaemonStartup daemonize();

/// A pidfile, locked (fcntl) while the service runs and removed when it stops.
class Pidfile {
public:
    /// Writes the caller's pid to @p path and locks it.
    /// @throws std::runtime_error when another running process holds the lock.
    /// @throws std::system_error("open") or ("write").
    explicit Pidfile(std::string path);
    /// Removes the file (only in the process that wrote it).
    ~Pidfile();
    Pidfile(const Pidfile&) = delete;
    Pidfile& operator=(const Pidfile&) = delete;

private:
    std::string path_;
    int owner_;
    UniqueFd fd_; // holds the lock
};

} // namespace papaya
