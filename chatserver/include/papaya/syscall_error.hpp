#pragma once
/// @file
/// @brief Turning a failed system call into a std::system_error.

#include <cerrno>
#include <system_error>

namespace papaya {

/// Throws std::system_error for the current errno, naming the failing call.
/// @param call the system call's name, e.g. "accept" (it becomes what()).
[[noreturn]] inline void throw_syscall_error(const char* call)
{
    throw std::system_error(errno, std::generic_category(), call);
}

/// Returns @p result, or throws for errno when it is -1.
/// @param result what the system call returned.
/// @param call the system call's name, for the error message.
template <typename T>
T check_syscall(T result, const char* call)
{
    if (result == static_cast<T>(-1)) throw_syscall_error(call);
    return result;
}

} // namespace papaya
