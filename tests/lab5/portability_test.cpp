#include "portability_test.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <optional>

#include "chat_helpers.hpp"
#include "netns.hpp"

namespace papaya::lab5 {

Lab5::Lab5() : log(dir.file("chat.log"))
{
    // 0711: a server that dropped to another user can still open the log by name.
    if (::chmod(dir.path().c_str(), 0711) != 0) harness::fail("chmod " + dir.path().string() + " failed");
}

harness::ServerProcess& Lab5::start_keyed_server(std::vector<std::string> args, std::string_view initial_log)
{
    key = harness::random_key();
    const auto key_file = harness::write_key_file(dir, key);
    grader::step("write a random 128-character key to " + key_file.string() + " (mode 0600)");
    if (!initial_log.empty()) {
        harness::write_file(log, initial_log, 0644);
        grader::step("write " + std::to_string(initial_log.size()) + " bytes of records to the chat log " +
                     log.string());
    }
    args.insert(args.begin(), {"--key-file", key_file.string(), "--log", log.string()});
    return start_server(std::move(args));
}

namespace {

/// Sets an environment variable for one scope, then restores it.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : name_(name)
    {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv()
    {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

} // namespace

harness::ServerProcess& Lab5::start_keyed_server_in_new_netns()
{
    // The harness starts PAPAYA_SERVER: prefix it with the namespace wrapper,
    // which execs the server (same pid, same stderr, same environment).
    const ScopedEnv wrapped("PAPAYA_SERVER", netns_server_command());
    grader::step("(the server command is prefixed with " + std::string(netns_program()) +
                 ", which runs it in a new network namespace with lo up and net.ipv6.bindv6only=1)");
    return start_keyed_server();
}

std::vector<pid_t> Lab5::live_pids()
{
    std::vector<pid_t> pids;
    for (const auto& process : integration::live_processes(server())) pids.push_back(process.pid);
    return pids;
}

bool alive(pid_t pid)
{
    const auto stat = harness::read_proc_stat(pid);
    return stat && stat->state != 'Z' && stat->state != 'X';
}

} // namespace papaya::lab5
