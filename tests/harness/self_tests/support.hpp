#pragma once
// Support for the harness's self-tests: an environment variable set for one
// scope, fake servers made of /bin/sh scripts, and catching a harness failure.

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>

#include "papaya/harness/failure.hpp"

namespace papaya::harness::self_test {

/// Sets (or, with nullopt, unsets) an environment variable and restores its
/// previous state when destroyed.
class ScopedEnvironment {
public:
    ScopedEnvironment(std::string name, const std::optional<std::string>& value) : name_(std::move(name))
    {
        if (const char* old = std::getenv(name_.c_str())) saved_ = old;
        set(value);
    }
    ~ScopedEnvironment() { set(saved_); }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    void set(const std::optional<std::string>& value) const
    {
        if (value) {
            ::setenv(name_.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name_.c_str());
        }
    }
    std::string name_;
    std::optional<std::string> saved_;
};

/// `/bin/sh -c '<script>'` as a server command, quoted for PAPAYA_SERVER.
inline std::string shell_command(const std::string& script)
{
    std::string quoted = "'";
    for (const char c : script) quoted += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
    return "/bin/sh -c " + quoted + "'";
}

/// PAPAYA_SERVER set to a shell script for one scope.
class FakeServer {
public:
    explicit FakeServer(const std::string& script) : variable_("PAPAYA_SERVER", shell_command(script)) {}

private:
    ScopedEnvironment variable_;
};

/// The message of the HarnessFailure @p action throws, or "(no failure)".
inline std::string failure_of(const std::function<void()>& action)
{
    try {
        action();
    } catch (const HarnessFailure& e) {
        return e.what();
    }
    return "(no failure)";
}

/// A script line printing a READY line for the shell's own pid.
inline constexpr const char* ready_line = "echo \"READY port=4321 pid=$$\" >&2";

} // namespace papaya::harness::self_test
