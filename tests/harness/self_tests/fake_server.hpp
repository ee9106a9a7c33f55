#pragma once
// Fake servers for the harness's self-tests: PAPAYA_SERVER set to a /bin/sh
// script for the duration of one test.

#include <cstdlib>
#include <string>

namespace papaya::harness::self_test {

/// Sets PAPAYA_SERVER to `/bin/sh -c '<script>'` and restores it when destroyed.
class FakeServer {
public:
    explicit FakeServer(const std::string& script)
    {
        if (const char* old = std::getenv("PAPAYA_SERVER")) saved_ = old;
        std::string quoted = "'";
        for (const char c : script) quoted += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
        quoted += "'";
        ::setenv("PAPAYA_SERVER", ("/bin/sh -c " + quoted).c_str(), 1);
    }
    ~FakeServer()
    {
        if (saved_.empty()) {
            ::unsetenv("PAPAYA_SERVER");
        } else {
            ::setenv("PAPAYA_SERVER", saved_.c_str(), 1);
        }
    }
    FakeServer(const FakeServer&) = delete;
    FakeServer& operator=(const FakeServer&) = delete;

private:
    std::string saved_;
};

/// A script line printing a READY line for the shell's own pid.
inline constexpr const char* ready_line = "echo \"READY port=4321 pid=$$\" >&2";

} // namespace papaya::harness::self_test
