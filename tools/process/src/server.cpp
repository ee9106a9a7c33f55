#include "papaya/process/server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "papaya/syscall_error.hpp"

namespace papaya::process {

std::optional<Ready> parse_ready_line(std::string_view line)
{
    constexpr std::string_view head = "READY port=";
    constexpr std::string_view middle = " pid=";
    if (!line.starts_with(head)) return std::nullopt;
    line.remove_prefix(head.size());
    const auto split = line.find(middle);
    if (split == std::string_view::npos) return std::nullopt;
    const std::string_view port_text = line.substr(0, split);
    const std::string_view pid_text = line.substr(split + middle.size());
    const auto all_digits = [](std::string_view s) {
        return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (!all_digits(port_text) || !all_digits(pid_text)) return std::nullopt;
    const long port = std::stol(std::string(port_text));
    const long pid = std::stol(std::string(pid_text));
    if (port <= 0 || port > 65535 || pid <= 0) return std::nullopt;
    return Ready{.port = static_cast<std::uint16_t>(port), .pid = static_cast<pid_t>(pid)};
}

ServerProcess::ServerProcess(SpawnOptions options)
{
    int err_pipe[2];
    check_syscall(::pipe2(err_pipe, O_CLOEXEC), "pipe2");
    stderr_read_.reset(err_pipe[0]);
    const UniqueFd err_write{err_pipe[1]};
    check_syscall(::fcntl(err_pipe[0], F_SETFL, O_NONBLOCK), "fcntl"); // the write end stays blocking
    int stop_pipe[2];
    check_syscall(::pipe2(stop_pipe, O_CLOEXEC), "pipe2");
    stop_read_.reset(stop_pipe[0]);
    stop_write_.reset(stop_pipe[1]);
    options.stdin_fd = SpawnOptions::null;
    options.stderr_fd = err_write.get();
    child_.emplace(options);
    drain_thread_ = std::thread{[this] { drain_loop(); }};
}

ServerProcess::~ServerProcess()
{
    if (child_) child_->kill_and_reap();
    if (drain_thread_.joinable()) {
        const char byte = 1;
        [[maybe_unused]] const ssize_t ignored = ::write(stop_write_.get(), &byte, 1);
        drain_thread_.join();
    }
}

void ServerProcess::drain_loop()
{
    for (;;) {
        pollfd fds[2] = {{stderr_read_.get(), POLLIN, 0}, {stop_read_.get(), POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents != 0) return;
        const std::lock_guard lock{mutex_};
        drain_available_locked();
        if (stderr_eof_) return;
    }
}

void ServerProcess::drain_available_locked() const
{
    // Reading under the lock (the pipe is non-blocking) keeps the bytes in
    // order when a caller drains too, so that stderr_text() holds everything
    // written before it was called.
    char chunk[4096];
    while (!stderr_eof_ && stderr_read_) {
        const ssize_t n = ::read(stderr_read_.get(), chunk, sizeof chunk);
        if (n > 0) {
            stderr_.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        stderr_eof_ = true; // end of file, or an error that ends reading just as well
    }
    parse_ready_locked();
    changed_.notify_all();
}

void ServerProcess::parse_ready_locked() const
{
    for (auto newline = stderr_.find('\n', parsed_upto_); newline != std::string::npos;
         newline = stderr_.find('\n', parsed_upto_)) {
        const std::string_view line{stderr_.data() + parsed_upto_, newline - parsed_upto_};
        if (const auto ready = parse_ready_line(line)) {
            if (ready_lines_++ == 0) ready_ = ready;
        }
        parsed_upto_ = newline + 1;
    }
}

std::optional<Ready> ServerProcess::wait_ready(Deadline deadline)
{
    std::unique_lock lock{mutex_};
    changed_.wait_until(lock, deadline.at(), [this] { return ready_lines_ > 0 || stderr_eof_; });
    return ready_;
}

std::optional<Ready> ServerProcess::ready() const
{
    const std::lock_guard lock{mutex_};
    return ready_;
}

int ServerProcess::ready_line_count() const
{
    const std::lock_guard lock{mutex_};
    drain_available_locked();
    return ready_lines_;
}

bool ServerProcess::stderr_closed() const
{
    const std::lock_guard lock{mutex_};
    return stderr_eof_;
}

std::string ServerProcess::stderr_text() const
{
    const std::lock_guard lock{mutex_};
    drain_available_locked();
    return stderr_;
}

bool ServerProcess::wait_for_stderr(std::string_view needle, Deadline deadline)
{
    std::unique_lock lock{mutex_};
    return changed_.wait_until(lock, deadline.at(), [&] {
        return stderr_.find(needle) != std::string::npos || stderr_eof_;
    }) && stderr_.find(needle) != std::string::npos;
}

} // namespace papaya::process
