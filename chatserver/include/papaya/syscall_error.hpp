#pragma once
/// @file
/// @brief The one way the course reports a failed system call: a
/// std::system_error that keeps errno and names the call (and what it was
/// called on), e.g. `open /var/lib/papaya/chat.log: Permission denied`.

#include <cerrno>
#include <string>
#include <string_view>
#include <system_error>

namespace papaya {

/// The exception for a failed call, not thrown: for a log line that reports
/// the failure in the same words (log it with `.what()`).
/// @param call the call's name, e.g. "open".
/// @param detail what it was called on, e.g. a path; empty for nothing.
/// @param error the errno value; errno by default.
/// @return a std::system_error whose code() is @p error and whose what() is
///         "call detail: strerror(error)".
[[nodiscard]] inline std::system_error syscall_error(std::string_view call, std::string_view detail = {},
                                                     int error = errno)
{
    std::string what(call);
    if (!detail.empty()) what.append(" ").append(detail);
    return std::system_error(error, std::generic_category(), what);
}

/// Throws syscall_error(@p call, @p detail, @p error).
[[noreturn]] inline void throw_syscall_error(std::string_view call, std::string_view detail = {}, int error = errno)
{
    throw syscall_error(call, detail, error);
}

/// Returns @p result, or throws syscall_error(@p call, @p detail) when it is -1.
/// @param result what the system call returned.
/// @param call the call's name, e.g. "open".
/// @param detail what it was called on, e.g. a path; empty for nothing.
template <typename T>
T check_syscall(T result, std::string_view call, std::string_view detail = {})
{
    if (result == static_cast<T>(-1)) throw_syscall_error(call, detail);
    return result;
}

} // namespace papaya
