#include "tmux.hpp"

#include <chrono>

#include "child_process.hpp"
#include "papaya/harness/failure.hpp"

namespace papaya::client_tests {

namespace {

using namespace std::chrono_literals;

std::vector<std::string> split_rows(const std::string& text)
{
    std::vector<std::string> rows;
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
        rows.push_back(text.substr(start, end - start));
    }
    if (start < text.size()) rows.push_back(text.substr(start));
    return rows;
}

} // namespace

std::string shell_quote(std::string_view word)
{
    std::string quoted = "'";
    for (const char c : word) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    return quoted + "'";
}

std::string Tmux::program() { return find_program("tmux"); }

Tmux::Tmux() : program_(program()), socket_(dir_.file("socket").string())
{
    if (program_.empty()) harness::fail("tmux is not installed");
    // `cat` in a session of its own keeps the server up between clients.
    run({"new-session", "-d", "-s", "keeper", "-x", "80", "-y", "24", "cat", ";", "set-option", "-g", "remain-on-exit",
         "on"});
}

Tmux::~Tmux()
{
    try {
        run_command({program_, "-S", socket_, "kill-server"}, child_environment({}), harness::Deadline{10s});
    } catch (...) { // NOLINT(bugprone-empty-catch): best effort in a destructor
    }
}

std::string Tmux::run(std::vector<std::string> args) const
{
    args.insert(args.begin(), {program_, "-u", "-f", "/dev/null", "-S", socket_});
    const CommandResult result =
        run_command(args, child_environment({{"LANG", "C.UTF-8"}, {"LC_ALL", std::nullopt}, {"TMUX", std::nullopt}}),
                    harness::Deadline{10s});
    if (!result.status.success()) {
        std::string command;
        for (std::size_t i = 6; i < args.size(); ++i) command += " " + args[i];
        harness::fail("tmux" + command + " failed (" + result.status.describe() + "): " + result.output);
    }
    return result.output;
}

void Tmux::start(const std::string& name, const std::vector<std::string>& argv, const std::string& home, int columns,
                 int rows)
{
    std::string command = "exec /usr/bin/env -i TERM=xterm-256color LANG=C.UTF-8 HOME=" + shell_quote(home);
    for (const std::string& arg : argv) command += " " + shell_quote(arg);
    run({"new-session", "-d", "-s", name, "-x", std::to_string(columns), "-y", std::to_string(rows), command});
}

std::vector<std::string> Tmux::screen(const std::string& name) const
{
    return split_rows(run({"capture-pane", "-p", "-t", name}));
}

std::string Tmux::screen_text(const std::string& name) const { return run({"capture-pane", "-p", "-t", name}); }

std::string Tmux::screen_with_attributes(const std::string& name) const
{
    return run({"capture-pane", "-p", "-e", "-t", name});
}

void Tmux::keys(const std::string& name, const std::vector<std::string>& keys) const
{
    std::vector<std::string> args{"send-keys", "-t", name};
    args.insert(args.end(), keys.begin(), keys.end());
    run(args);
}

void Tmux::type(const std::string& name, const std::string& text) const { run({"send-keys", "-t", name, "-l", text}); }

void Tmux::resize(const std::string& name, int columns, int rows) const
{
    run({"resize-window", "-t", name, "-x", std::to_string(columns), "-y", std::to_string(rows)});
}

std::string Tmux::format(const std::string& name, const std::string& format) const
{
    std::string value = run({"display-message", "-p", "-t", name, format});
    while (!value.empty() && value.back() == '\n') value.pop_back();
    return value;
}

pid_t Tmux::pid(const std::string& name) const { return static_cast<pid_t>(std::stol(format(name, "#{pane_pid}"))); }

void Tmux::wait_screen(const std::string& name, const std::function<bool(const std::string&)>& condition,
                       std::string_view expecting, harness::Deadline deadline) const
{
    std::string last;
    if (harness::poll_until(
            [&] {
                last = screen_text(name);
                return condition(last);
            },
            deadline)) {
        return;
    }
    harness::fail("the screen of " + name + " never showed " + std::string(expecting) + "; it shows:\n" + last);
}

void Tmux::wait_text(const std::string& name, std::string_view text, harness::Deadline deadline) const
{
    wait_screen(
        name, [&](const std::string& screen) { return screen.find(text) != std::string::npos; },
        "\"" + std::string(text) + "\"", deadline);
}

} // namespace papaya::client_tests
