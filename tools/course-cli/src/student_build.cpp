#include "student_build.hpp"

#include <fcntl.h>

#include <cstdio>
#include <regex>
#include <vector>

#include "papaya/process/child.hpp"
#include "papaya/process/temp_dir.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"
#include "say.hpp"

namespace papaya::course {

namespace {

std::vector<std::string_view> lines_of(std::string_view text)
{
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto end = text.find('\n');
        lines.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

} // namespace

std::string compiler_messages(std::string_view log)
{
    static const std::regex found{"(error|warning):|undefined reference|multiple definition"};
    const auto lines = lines_of(log);
    std::vector<bool> shown(lines.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!std::regex_search(lines[i].begin(), lines[i].end(), found)) continue;
        any = true;
        for (std::size_t j = i; j < lines.size() && j <= i + 3; ++j) shown[j] = true;
    }
    constexpr std::size_t limit = 60;
    std::size_t first = 0;
    if (!any) {
        first = lines.size() > 40 ? lines.size() - 40 : 0;
        for (std::size_t i = first; i < lines.size(); ++i) shown[i] = true;
    }
    std::string out;
    for (std::size_t i = first, count = 0; i < lines.size() && count < limit; ++i) {
        if (!shown[i]) continue;
        out += std::string(lines[i]) + "\n";
        ++count;
    }
    return out;
}

bool build_student_and_grader(const Paths& paths)
{
    std::error_code ignored;
    if (!std::filesystem::exists(paths.grade, ignored))
        say("building your server and the grader: the first build takes a minute or two");
    const process::TempDir dir{"papaya-course"};
    const auto log_path = dir.file("build.log");
    const UniqueFd log{::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    if (!log) throw_syscall_error("open", log_path.string());
    process::SpawnOptions options;
    options.argv = {"cmake", "--build", paths.build.string(), "--target", "papaya_grade", "papaya-student"};
    options.search_path = true;
    options.stdout_fd = options.stderr_fd = log.get();
    process::Child cmake{options};
    std::optional<process::ExitStatus> status;
    while (!status) status = cmake.wait(process::Deadline{std::chrono::hours(1)});
    if (status->success()) return true;
    std::fputs(compiler_messages(process::read_file(log_path)).c_str(), stderr);
    say("your server does not compile (labs/server/): fix the first error above");
    return false;
}

bool build_if_student(const Paths& paths, const std::string& target)
{
    return target != "student" || build_student_and_grader(paths);
}

} // namespace papaya::course
