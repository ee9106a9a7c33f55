#include "papaya/grader/probe.hpp"

#include <fcntl.h>

#include <csignal>
#include <cstdlib>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

#include "papaya/fd_io.hpp"
#include "papaya/grader/record.hpp"
#include "papaya/grader/settings.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/process/child.hpp"
#include "papaya/process/deadline.hpp"
#include "papaya/unique_fd.hpp"

#if !defined(PAPAYA_PROBE_CXX) || !defined(PAPAYA_PROBE_GIVEN_INCLUDE)
#error "PAPAYA_PROBE_CXX and PAPAYA_PROBE_GIVEN_INCLUDE come from tests/grader/CMakeLists.txt"
#endif

namespace papaya::grader {

namespace {

using namespace std::chrono_literals;

/// Runs @p argv (no shell: the paths are passed as they are) with its output
/// into @p output, killed at @p limit. Its exit status, 128 + the signal that
/// ended it (128 + SIGKILL at the limit), or -1 when it could not be started.
int run_status(const std::vector<std::string>& argv, const std::filesystem::path& output,
               std::chrono::milliseconds limit)
{
    const UniqueFd out{::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    if (!out) return -1;
    try {
        process::Child child{
            process::SpawnOptions{.argv = argv, .search_path = true, .stdout_fd = out.get(), .stderr_fd = out.get()}};
        auto status = child.wait(process::Deadline{limit});
        if (!status) status = child.kill_and_reap();
        return status->exited ? status->code : 128 + status->signal;
    } catch (const std::system_error& error) {
        const std::string message = std::string(error.what()) + "\n";
        (void)io::try_write_all(out.get(), message);
        return -1;
    }
}

bool run(const std::vector<std::string>& argv, const std::filesystem::path& output, std::chrono::milliseconds limit)
{
    return run_status(argv, output, limit) == 0;
}

/// The first lines of @p file, indented, for a failure message.
std::string excerpt(const std::filesystem::path& file)
{
    std::istringstream in(harness::read_file(file));
    std::string text;
    int count = 0;
    for (std::string line; std::getline(in, line) && count < 12; ++count) text += "    " + line + "\n";
    return text;
}

} // namespace

std::optional<std::filesystem::path> build_stage_probe(std::string_view stage_file,
                                                       const std::filesystem::path& probe_source,
                                                       const harness::TempDir& dir)
{
    const char* sources = std::getenv("PAPAYA_TARGET_SOURCES");
    if (sources == nullptr || *sources == '\0') {
        // GTEST_SKIP() returns from the function it is in: the test's, not this one.
        GTEST_MESSAGE_("not applicable: the target has no source tree to build (no sources= in tests/targets.conf)",
                       ::testing::TestPartResult::kSkip);
        return std::nullopt;
    }
    const std::filesystem::path file = std::filesystem::path(sources) / stage_file;
    if (!std::filesystem::exists(file)) {
        ADD_FAILURE() << file << " does not exist (the target's sources= folder)";
        return std::nullopt;
    }
    const std::string cxx = PAPAYA_PROBE_CXX;
    const std::string given = std::string("-I") + PAPAYA_PROBE_GIVEN_INCLUDE;
    const auto library = dir.file("libstage.so");
    const auto probe = dir.file("probe");
    const auto output = dir.file("compile.out");
    step("build " + file.string() + " alone into a shared library (" + cxx + " -std=c++20 -O2 -fPIC -shared)");
    if (!run({cxx, "-std=c++20", "-O2", "-fPIC", "-shared", given, std::string("-I") + sources, file.string(), "-o",
              library.string()},
             output, settle(120s))) {
        ADD_FAILURE() << "it does not build:\n" << excerpt(output);
        return std::nullopt;
    }
    step("link the probe (" + probe_source.filename().string() + ") to it");
    if (!run({cxx, "-std=c++20", "-O2", "-pthread", given, probe_source.string(), library.string(),
              "-Wl,--allow-shlib-undefined", "-Wl,-rpath," + dir.path().string(), "-o", probe.string()},
             output, settle(120s))) {
        ADD_FAILURE() << "the probe does not link:\n" << excerpt(output);
        return std::nullopt;
    }
    return probe;
}

ProbeRun run_probe(const std::filesystem::path& probe, std::chrono::milliseconds limit)
{
    const auto output = probe.parent_path() / (probe.filename().string() + ".out");
    ProbeRun result;
    const int status = run_status({probe.string()}, output, limit);
    result.ok = status == 0;
    result.output = harness::read_file(output);
    if (status == 128 + SIGKILL)
        result.output += "(the probe did not finish within " + std::to_string(limit.count()) + " ms: it was killed)\n";
    return result;
}

} // namespace papaya::grader
