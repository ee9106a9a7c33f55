#pragma once
/// @file
/// @brief The server's own log (not the chat log): stderr in the foreground, syslog as a daemon.

#include <string_view>

namespace papaya {

/// How important a service log message is.
enum class LogLevel { info, warning, error };

/// Sends further messages to syslog (facility LOG_DAEMON, with the pid) under
/// @p ident instead of stderr.
/// @param ident the program name syslog shows (it must outlive the program, e.g. a literal).
void log_to_syslog(const char* ident);

/// Logs one line: `<program>[<pid>]: <level>: <message>` on stderr, or the
/// message at priority LOG_INFO, LOG_WARNING or LOG_ERR after log_to_syslog().
/// Safe to call in any process of the service (one write(2) per line, the
/// pid is that of the caller). Newlines in @p message become spaces; errno is
/// left unchanged.
/// @param level how important it is.
/// @param message the text, without a trailing newline.
void log_message(LogLevel level, std::string_view message);

/// Sets the name shown before each stderr line (default "papayad").
/// @param name a string that outlives the program, e.g. a literal.
void set_log_program_name(const char* name);

} // namespace papaya
