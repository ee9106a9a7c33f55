#include "watch.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <vector>

#include "papaya/syscall_error.hpp"

namespace papaya::course {

namespace {

/// The terminal's settings before RawKeys changed them, for the signal handler too.
termios saved_terminal{};

extern "C" void restore_and_reraise(int signal)
{
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

/// Keys one at a time, without echo, while it lives; the terminal is restored
/// on every way out, Ctrl-C included (a shell does not restore echo).
class RawKeys {
public:
    RawKeys()
    {
        if (::tcgetattr(STDIN_FILENO, &saved_terminal) != 0) throw_syscall_error("tcgetattr", "stdin");
        termios raw = saved_terminal;
        raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        std::signal(SIGINT, restore_and_reraise);
        std::signal(SIGTERM, restore_and_reraise);
        if (::tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0) throw_syscall_error("tcsetattr", "stdin");
    }
    ~RawKeys()
    {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }
    RawKeys(const RawKeys&) = delete;
    RawKeys& operator=(const RawKeys&) = delete;
};

} // namespace

std::string sources_stamp(const std::filesystem::path& dir)
{
    std::vector<std::string> entries;
    std::error_code error;
    for (std::filesystem::recursive_directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        if (!it->is_regular_file(error)) continue;
        const auto time = std::filesystem::last_write_time(it->path(), error).time_since_epoch().count();
        entries.push_back(it->path().string() + " " + std::to_string(time) + " " +
                          std::to_string(it->file_size(error)));
    }
    std::sort(entries.begin(), entries.end());
    std::string stamp;
    for (const auto& entry : entries) stamp += entry + "\n";
    return stamp;
}

WatchEvent wait_for_save_or_quit(const std::filesystem::path& dir, const std::string& stamp)
{
    const RawKeys keys;
    // The sources have no descriptor to wait on: look again every second
    // while waiting for a key.
    while (sources_stamp(dir) == stamp) {
        pollfd input{STDIN_FILENO, POLLIN, 0};
        const int ready = ::poll(&input, 1, 1000);
        if (ready < 0 && errno != EINTR) throw_syscall_error("poll", "stdin");
        if (ready <= 0) continue;
        char key = 0;
        const ssize_t n = ::read(STDIN_FILENO, &key, 1);
        if (n == 0) return WatchEvent::quit; // end of input: nobody is left to save
        if (n < 0 && errno != EINTR) throw_syscall_error("read", "stdin");
        if (n == 1 && key == 'q') return WatchEvent::quit;
    }
    return WatchEvent::saved;
}

} // namespace papaya::course
