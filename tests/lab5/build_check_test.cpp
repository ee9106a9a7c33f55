// Lab 5: the student's stage files build warning-free with clang++ and with
// g++ -m32. Two compilers disagree on what they warn about, and on a 32-bit
// target long, size_t and time_t are 32 bits wide: a narrowing or a sign
// comparison that one 64-bit g++ build never shows appears here. Compiling
// with -fsyntax-only is enough (every such warning comes from the front end)
// and keeps the test fast: at most two compilers run at once.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "papaya/harness/harness.hpp"
#include "portability_test.hpp"

#ifndef PAPAYA_LAB5_GIVEN_INCLUDE
#error "PAPAYA_LAB5_GIVEN_INCLUDE must name the given headers (chatserver/include)"
#endif

namespace papaya::lab5 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;

constexpr std::size_t max_jobs = 2;      // the CI machine has two cores
constexpr std::size_t report_lines = 12; // of each failing compiler's output

/// One compiler: how to call it, and which Debian package provides it.
struct Compiler {
    std::vector<std::string> command; ///< program and its flags, without the file
    std::string package;
};

std::vector<Compiler> compilers()
{
    const std::vector<std::string> flags = {"-std=c++20",
                                            "-Wall",
                                            "-Wextra",
                                            "-Wpedantic",
                                            "-Werror",
                                            "-fsyntax-only",
                                            std::string("-I") + PAPAYA_LAB5_GIVEN_INCLUDE};
    Compiler clang{{"clang++"}, "clang"};
    Compiler gcc32{{"g++", "-m32"}, "g++-multilib"};
    for (Compiler* compiler : {&clang, &gcc32})
        compiler->command.insert(compiler->command.end(), flags.begin(), flags.end());
    return {clang, gcc32};
}

std::string shell_words(const std::vector<std::string>& words)
{
    std::string line;
    for (const auto& word : words) line += (line.empty() ? "" : " ") + word;
    return line;
}

/// A compiler run: its command line, and once done, its status and output.
struct Job {
    std::vector<std::string> argv;
    std::filesystem::path output; ///< stdout and stderr together
    pid_t pid = -1;
    int status = 0;
};

void start(Job& job)
{
    const pid_t pid = ::fork();
    if (pid < 0) harness::fail("fork failed for " + shell_words(job.argv));
    if (pid == 0) {
        const int out = ::open(job.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out < 0 || ::dup2(out, STDOUT_FILENO) < 0 || ::dup2(out, STDERR_FILENO) < 0) _exit(126);
        std::vector<char*> argv;
        for (auto& word : job.argv) argv.push_back(word.data());
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        _exit(127); // like a shell: command not found
    }
    job.pid = pid;
}

/// True once @p job has exited (reaped, status kept).
bool finished(Job& job)
{
    if (job.pid < 0) return true;
    const pid_t done = ::waitpid(job.pid, &job.status, WNOHANG);
    if (done == job.pid || (done < 0 && errno == ECHILD)) {
        job.pid = -1;
        return true;
    }
    return false;
}

void kill_and_reap(Job& job)
{
    if (job.pid < 0) return;
    ::kill(job.pid, SIGKILL);
    while (::waitpid(job.pid, &job.status, 0) < 0 && errno == EINTR) {
    }
    job.pid = -1;
}

/// Runs @p jobs, at most max_jobs at once. Fails the test when they are not
/// all done within the deadline (then every job still running is killed).
void run_all(std::vector<Job>& jobs, harness::Deadline deadline)
{
    std::size_t next = 0;
    const auto running = [&] {
        return static_cast<std::size_t>(std::count_if(jobs.begin(), jobs.end(),
                                                      [](const Job& j) { return j.pid >= 0; }));
    };
    const bool done = harness::poll_until(
        [&] {
            for (auto& job : jobs) finished(job);
            while (next < jobs.size() && running() < max_jobs) start(jobs[next++]);
            return next == jobs.size() && running() == 0;
        },
        deadline);
    if (!done) {
        for (auto& job : jobs) kill_and_reap(job);
        FAIL() << "the compilers did not finish in time (" << next << " of " << jobs.size() << " started)";
    }
}

bool succeeded(const Job& job) { return WIFEXITED(job.status) && WEXITSTATUS(job.status) == 0; }

/// The first lines of @p job's output.
std::string first_lines(const Job& job)
{
    std::istringstream in(harness::read_file(job.output));
    std::string text;
    std::size_t count = 0;
    for (std::string line; std::getline(in, line);) {
        if (count++ == report_lines) {
            text += "    ...\n";
            break;
        }
        text += "    " + line + "\n";
    }
    return text;
}

/// The stage files of the target: every *.cpp of its sources folder, sorted.
std::vector<std::filesystem::path> stage_files(const std::filesystem::path& folder)
{
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error))
        if (entry.is_regular_file() && entry.path().extension() == ".cpp") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

TEST_F(Lab5, BuildsWarningFreeWithClangAndGccM32)
{
    declare_points(2, "Build your stage files with clang++ and with g++ -m32 (both with -Wall -Wextra -Wpedantic "
                      "-Werror) before handing in: on 32 bits long, size_t and time_t are 32 bits wide, so "
                      "convert explicitly (static_cast) where a 64-bit value meets them.");
    const char* sources = std::getenv("PAPAYA_TARGET_SOURCES");
    if (sources == nullptr || *sources == '\0')
        GTEST_SKIP() << "not applicable: the target has no source tree to build (no sources= in tests/targets.conf)";
    const std::filesystem::path folder(sources);
    const auto files = stage_files(folder);
    step("list the stage files: every *.cpp of " + folder.string());
    ASSERT_FALSE(files.empty()) << "no *.cpp file in " << folder << " (the target's sources= folder)";

    // A missing compiler is the machine's fault, not the code's: say which package to install.
    const auto all = compilers();
    const auto probe = dir.write("probe.cpp", "#include <cstddef>\n#include <string>\n");
    std::vector<Job> probes;
    for (const auto& compiler : all) {
        auto argv = compiler.command;
        argv.push_back(probe.string());
        probes.push_back({argv, dir.file("probe-" + std::to_string(probes.size()) + ".out")});
    }
    step("check that both compilers work: compile a file that includes <cstddef> and <string>");
    run_all(probes, harness::Deadline(settle(60s)));
    if (HasFailure()) return;
    for (std::size_t i = 0; i < all.size(); ++i) {
        ASSERT_TRUE(succeeded(probes[i]))
            << "`" << shell_words(all[i].command) << "` cannot compile here"
            << " (install the Debian package " << all[i].package << "; `tools/course test` installs it):\n"
            << first_lines(probes[i]);
    }

    std::vector<Job> jobs;
    for (const auto& file : files) {
        for (const auto& compiler : all) {
            auto argv = compiler.command;
            argv.push_back(file.string());
            jobs.push_back({argv, dir.file("compile-" + std::to_string(jobs.size()) + ".out")});
        }
    }
    step("compile each of the " + std::to_string(files.size()) + " stage files with `" + shell_words(all[0].command) +
         " FILE` and with `" + shell_words(all[1].command) + " FILE`; expect no error and no warning");
    run_all(jobs, harness::Deadline(settle(std::chrono::milliseconds(20s) * static_cast<int>(files.size()))));
    if (HasFailure()) return;
    for (const auto& job : jobs) {
        EXPECT_TRUE(succeeded(job)) << "`" << shell_words(job.argv) << "` reported:\n" << first_lines(job);
    }
}

} // namespace
} // namespace papaya::lab5
