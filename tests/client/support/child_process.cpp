#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "papaya/harness/failure.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/syscall_error.hpp"

extern char** environ;

namespace papaya::client_tests {

namespace {

std::vector<char*> pointers(const std::vector<std::string>& strings)
{
    std::vector<char*> out;
    for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

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
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text = *entry;
        const std::string name(text.substr(0, text.find('=')));
        if (changes.count(name) == 0) env.emplace_back(text);
    }
    for (const auto& [name, value] : changes) {
        if (value) env.push_back(name + "=" + *value);
    }
    return env;
}

std::vector<std::string> client_environment(const std::string& home, EnvChanges extra)
{
    EnvChanges changes = {{"HOME", home}, {"XDG_CONFIG_HOME", std::nullopt}, {"PAPAYA_KEY", std::nullopt},
                          {"LANG", "C.UTF-8"}, {"LC_ALL", std::nullopt}};
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

std::string find_program(std::string_view program)
{
    const char* path = std::getenv("PATH");
    std::string_view dirs = path == nullptr ? "/usr/bin:/bin" : path;
    while (!dirs.empty()) {
        const auto colon = dirs.find(':');
        const std::filesystem::path candidate = std::filesystem::path(dirs.substr(0, colon)) / program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        if (colon == std::string_view::npos) break;
        dirs.remove_prefix(colon + 1);
    }
    return {};
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env)
{
    auto in = make_pipe(), out = make_pipe(), err = make_pipe();
    std::vector<char*> args = pointers(argv);
    std::vector<char*> envp = pointers(env);
    pid_ = check_syscall(::fork(), "fork");
    if (pid_ == 0) {
        // Only async-signal-safe calls from here: the parent has threads.
        ::dup2(in[0], STDIN_FILENO);
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        ::execve(args[0], args.data(), envp.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    stdin_.reset(in[1]);
    stdout_.reset(out[0]);
    stderr_.reset(err[0]);
}

ChildProcess::~ChildProcess()
{
    if (!status_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
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
    if (status_) return *status_;
    // Output first: a child blocked on a full pipe would never exit.
    while (pump(deadline) && !deadline.expired()) {
    }
    int status = 0;
    if (!harness::poll_until([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, deadline)) {
        harness::fail("the client did not exit in time; its stderr: " + harness::printable(err_) +
                      "\nits stdout: " + harness::printable(out_));
    }
    status_ = ExitStatus::from_wait_status(status);
    return *status_;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          Deadline deadline)
{
    const harness::TempDir dir("papaya-command");
    const std::string output_path = dir.file("output").string();
    const UniqueFd output(check_syscall(::open(output_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600), "open"));
    const UniqueFd null(check_syscall(::open("/dev/null", O_RDONLY | O_CLOEXEC), "open"));
    std::vector<char*> args = pointers(argv);
    std::vector<char*> envp = pointers(env);
    const pid_t pid = check_syscall(::fork(), "fork");
    if (pid == 0) {
        ::dup2(null.get(), STDIN_FILENO);
        ::dup2(output.get(), STDOUT_FILENO);
        ::dup2(output.get(), STDERR_FILENO);
        ::execve(args[0], args.data(), envp.data());
        ::_exit(127);
    }
    int status = 0;
    if (!harness::poll_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, deadline)) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        harness::fail("command did not finish in time: " + argv.front() + " " + (argv.size() > 1 ? argv[1] : ""));
    }
    return {ExitStatus::from_wait_status(status), harness::read_file(output_path)};
}

} // namespace papaya::client_tests
