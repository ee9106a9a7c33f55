#include <unistd.h>

#include <cstdio>

#include "commands.hpp"
#include "lab_guide.hpp"
#include "papaya/process/temp_dir.hpp"
#include "papaya/stages.hpp"
#include "say.hpp"
#include "screen.hpp"
#include "stage_search.hpp"
#include "student_build.hpp"
#include "watch.hpp"

namespace papaya::course {

int start(const Grading& grading)
{
    const bool interactive = ::isatty(STDIN_FILENO) != 0 && ::isatty(STDOUT_FILENO) != 0;
    const auto sources = grading.paths.student();
    int stage = 0; // a stage once passed is not graded again while watching
    for (;;) {
        const auto stamp = sources_stamp(sources);
        if (build_if_student(grading.paths, grading.target)) {
            say("grading your server (labs/server/) ...");
            const auto position = first_unfinished_stage(stage, [&](int k) { return grade_suite(k, grading.target); });
            stage = position.stage;
            if (stage > last_stage) {
                say("every lab passes: your server is complete. Run tools/course status for the table, and");
                say("tools/course grade " + std::to_string(last_stage) + " for the full regression.");
                return 0;
            }
            if (interactive) std::fputs("\033[H\033[2J", stdout); // clear the screen
            std::string readme;
            try {
                readme = process::read_file(grading.paths.root / readme_path(stage));
            } catch (const std::exception&) {
                // A README that cannot be read only leaves the goal out.
            }
            std::fputs(stage_screen(stage, position.report, readme).c_str(), stdout);
        }
        if (!interactive) return 1;
        std::fputs("\n  Watching labs/server/: save a file to re-grade. q quits.\n", stdout);
        std::fflush(stdout);
        if (wait_for_save_or_quit(sources, stamp) == WatchEvent::quit) {
            std::fputs("\n", stdout);
            return 0;
        }
    }
}

} // namespace papaya::course
