#include "papaya/service_log.hpp"

#include "papaya/fd_io.hpp"

#include <cerrno>
#include <string>
#include <syslog.h>
#include <unistd.h>

namespace papaya {

namespace {

// Per process and set once at start-up, before any fork: no locking needed.
const char* program_name = "papayad";
bool use_syslog = false;

const char* level_name(LogLevel level) noexcept
{
    switch (level) {
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
    }
    return "error";
}

int syslog_priority(LogLevel level) noexcept
{
    switch (level) {
    case LogLevel::info: return LOG_INFO;
    case LogLevel::warning: return LOG_WARNING;
    case LogLevel::error: return LOG_ERR;
    }
    return LOG_ERR;
}

} // namespace

void log_to_syslog(const char* ident)
{
    ::openlog(ident, LOG_PID, LOG_DAEMON);
    use_syslog = true;
}

void set_log_program_name(const char* name) { program_name = name; }

void log_message(LogLevel level, std::string_view message)
{
    const int saved_errno = errno; // Callers may log between a failure and its errno.

    // One message is one line, whatever it contains (it may quote a client).
    std::string text(message);
    for (char& c : text) {
        if (c == '\n' || c == '\r' || c == '\0') c = ' ';
    }
    if (use_syslog) {
        ::syslog(syslog_priority(level), "%s", text.c_str());
    } else {
        std::string line;
        line.reserve(text.size() + 64);
        line.append(program_name)
            .append("[")
            .append(std::to_string(::getpid()))
            .append("]: ")
            .append(level_name(level))
            .append(": ")
            .append(text)
            .append("\n");
        // A log that cannot be written cannot report it either.
        (void)io::try_write_all(STDERR_FILENO, line);
    }
    errno = saved_errno;
}

} // namespace papaya
