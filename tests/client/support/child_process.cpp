#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "papaya/harness/failure.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/syscall_error.hpp"

namespace papaya::client_tests {

namespace {

std::array<int, 2> make_pipe()
{
    std::array<int, 2> ends{};
    check_syscall(::pipe2(ends.data(), O_CLOEXEC), "pipe2");
    return ends;
}

} // namespace

std::string client_path()
{
    const char* path = std::getenv("PAPAYA_CLIENT");
    if (path == nullptr || *path == '\0') harness::fail("PAPAYA_CLIENT is not set: it names the papaya client to test");
    return path;
}

std::vector<std::string> child_environment(const EnvChanges& changes)
{
    std::vector<std::string> env = process::current_environment();
    std::erase_if(env, [&](const std::string& entry) { return changes.contains(entry.substr(0, entry.find('='))); });
    for (const auto& [name, value] : changes) {
        if (value) env.push_back(name + "=" + *value);
    }
    return env;
}

std::vector<std::string> client_environment(const std::string& home, EnvChanges extra)
{
    EnvChanges changes = {{"HOME", home},
                          {"XDG_CONFIG_HOME", std::nullopt},
                          {"PAPAYA_KEY", std::nullopt},
                          {"LANG", "C.UTF-8"},
                          {"LC_ALL", std::nullopt}};
    for (auto& [name, value] : extra) changes[name] = value;
    return child_environment(changes);
}

RunResult run_client(const std::vector<std::string>& args, const std::vector<std::string>& env, Deadline deadline)
{
    std::vector<std::string> argv{client_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess child(argv, env);
    child.close_stdin();
    const ExitStatus status = child.expect_exit(deadline);
    return {status, child.out(), child.err()};
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env)
{
    auto in = make_pipe(), out = make_pipe(), err = make_pipe();
    const UniqueFd in_read{in[0]}, out_write{out[1]}, err_write{err[1]}; // the child's ends, closed here after fork
    stdin_.reset(in[1]);
    stdout_.reset(out[0]);
    stderr_.reset(err[0]);
    process::SpawnOptions spawn;
    spawn.argv = argv;
    spawn.environment = env;
    spawn.stdin_fd = in_read.get();
    spawn.stdout_fd = out_write.get();
    spawn.stderr_fd = err_write.get();
    child_.emplace(spawn);
}

void ChildProcess::write_stdin(std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::write(stdin_.get(), bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) harness::fail("cannot write to the client's stdin: " + std::string(std::strerror(errno)));
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void ChildProcess::close_stdin() { stdin_.reset(); }

bool ChildProcess::pump(Deadline deadline)
{
    std::array<pollfd, 2> fds{{{stdout_.get(), POLLIN, 0}, {stderr_.get(), POLLIN, 0}}};
    if (!stdout_ && !stderr_) return false;
    const int ready = ::poll(fds.data(), fds.size(), deadline.poll_timeout_ms());
    if (ready <= 0) return true;
    std::array<char, 4096> buffer{};
    const auto drain = [&](UniqueFd& fd, std::string& into, short revents) {
        if (revents == 0) return;
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n > 0) {
            into.append(buffer.data(), static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            fd.reset();
        }
    };
    drain(stdout_, out_, fds[0].revents);
    drain(stderr_, err_, fds[1].revents);
    return true;
}

bool ChildProcess::wait_stdout(std::string_view needle, Deadline deadline)
{
    while (out_.find(needle) == std::string::npos) {
        if (deadline.expired() || !pump(deadline)) return out_.find(needle) != std::string::npos;
    }
    return true;
}

ExitStatus ChildProcess::expect_exit(Deadline deadline)
{
    if (const auto& status = child_->exit_status()) return *status;
    // Output first: a child blocked on a full pipe would never exit.
    while (pump(deadline) && !deadline.expired()) {
    }
    const auto status = child_->wait(deadline);
    if (!status) {
        harness::fail("the client did not exit in time; its stderr: " + harness::printable(err_) +
                      "\nits stdout: " + harness::printable(out_));
    }
    return *status;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env, Deadline deadline)
{
    const harness::TempDir dir("papaya-command");
    const std::string output_path = dir.file("output").string();
    const UniqueFd output(check_syscall(::open(output_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600), "open"));
    process::SpawnOptions spawn;
    spawn.argv = argv;
    spawn.environment = env;
    spawn.stdin_fd = process::SpawnOptions::null;
    spawn.stdout_fd = output.get();
    spawn.stderr_fd = output.get();
    process::Child child(spawn);
    const auto status = child.wait(deadline);
    if (!status) {
        harness::fail("command did not finish in time: " + argv.front() + " " + (argv.size() > 1 ? argv[1] : ""));
    }
    return {*status, harness::read_file(output_path)};
}

} // namespace papaya::client_tests
