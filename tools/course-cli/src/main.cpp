// papaya-course: the student's commands of tools/course (start, status,
// catch-up, grade), on the grader's library: nothing here reads the grader's
// console text. tools/course installs the packages, builds this program and
// runs it; `tools/course help` and labs/README.md describe the commands.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "catch_up.hpp"
#include "commands.hpp"
#include "papaya/stages.hpp"
#include "papaya/syscall_error.hpp"
#include "say.hpp"
#include "student_build.hpp"

namespace {

using namespace papaya::course;

/// `grade N [options]`: builds the student's server, then runs papaya_grade
/// with the options (and --target student unless one is given).
[[noreturn]] void grade(const Paths& paths, std::vector<std::string> args)
{
    if (args.empty()) throw CourseError("grade: which stage? e.g. tools/course grade 1 (try: tools/course help)");
    bool has_target = false;
    for (const auto& arg : args) has_target = has_target || arg == "--target" || arg.rfind("--target=", 0) == 0;
    if (!build_student_and_grader(paths)) std::exit(1);
    if (!has_target) args.insert(args.end(), {"--target", "student"});
    std::vector<char*> argv{const_cast<char*>(paths.grade.c_str())};
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);
    ::execv(paths.grade.c_str(), argv.data());
    papaya::throw_syscall_error("execv", paths.grade.string());
}

} // namespace

int main(int argc, char** argv)
{
    Grading grading{build_paths()};
    const std::string stages = "0.." + std::to_string(papaya::last_stage);
    CLI::App app{"The course's commands for students (see tools/course help)."};
    app.require_subcommand(1);
    auto* start = app.add_subcommand("start", "The first lab your server does not pass, and its first failure");
    auto* status = app.add_subcommand("status", "The table of labs with your score in each (suites alone)");
    for (auto* command : {start, status})
        command->add_option("--target", grading.target, "Grade this target instead of labs/server/ (the tests do)");
    int catch_up_stage = -1;
    bool yes = false;
    auto* catch_up_command = app.add_subcommand("catch-up", "The solution's files of labs 0..N into labs/server/");
    catch_up_command->add_option("N", catch_up_stage, "The last lab to take from the solution, " + stages);
    catch_up_command->add_flag("--yes", yes, "Do not ask");
    auto* grade_command = app.add_subcommand("grade", "papaya_grade N [options] on your server, built first");
    grade_command->prefix_command();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : 2;
    }
    try {
        // The rerun commands a report prints start with tools/course.
        if (::chdir(grading.paths.root.c_str()) != 0) papaya::throw_syscall_error("chdir", grading.paths.root.string());
        if (*start) return papaya::course::start(grading);
        if (*status) return papaya::course::status(grading);
        if (*grade_command) grade(grading.paths, grade_command->remaining());
        papaya::course::catch_up(grading.paths, catch_up_stage, yes);
        return 0;
    } catch (const std::exception& error) {
        say(error.what());
        return 1;
    }
}
