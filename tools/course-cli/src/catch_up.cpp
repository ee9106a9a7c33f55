#include "catch_up.hpp"

#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "papaya/stages.hpp"
#include "say.hpp"

namespace papaya::course {

namespace {

namespace fs = std::filesystem;

/// Asks @p question on the terminal: true for y or Y.
bool confirm(const std::string& question, bool yes)
{
    if (yes) return true;
    if (::isatty(STDIN_FILENO) == 0) throw CourseError("not a terminal: pass --yes to confirm");
    std::cout << question << " [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y";
}

} // namespace

std::vector<std::string> catch_up_files(int stage)
{
    std::vector<std::string> files;
    for (int k = 0; k <= stage; ++k)
        for (const auto file : stages.at(static_cast<std::size_t>(k)).files) files.emplace_back(file);
    return files;
}

std::string backup_name()
{
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char name[64];
    std::strftime(name, sizeof name, "catch-up-%Y%m%d-%H%M%S", &local);
    return name;
}

void catch_up(const Paths& paths, int stage, bool yes)
{
    const auto range = "(0.." + std::to_string(last_stage) + ")";
    if (stage < 0 || stage > last_stage)
        throw CourseError("catch-up: which lab? e.g. tools/course catch-up 2 " + range);
    const auto files = catch_up_files(stage);
    std::cout << "These files of labs/server/ will be replaced by the solution of labs 0.." << stage << ":\n";
    for (const auto& file : files) std::cout << "  " << file << "\n";
    const auto backup = paths.state() / backup_name();
    std::cout << "Your versions are kept in " << fs::relative(backup, paths.root).string() << "/\n";
    if (!confirm("Replace them?", yes)) throw CourseError("nothing changed");
    fs::create_directories(backup);
    for (const auto& file : files) {
        fs::copy_file(paths.student() / file, backup / file, fs::copy_options::overwrite_existing);
        fs::last_write_time(backup / file, fs::last_write_time(paths.student() / file)); // as cp -p did
        fs::copy_file(paths.solution() / file, paths.student() / file, fs::copy_options::overwrite_existing);
    }
    if (stage == last_stage) {
        say("done: every lab is the solution's (tools/course grade " + std::to_string(last_stage) + " grades it all)");
    } else {
        say("done: labs 0.." + std::to_string(stage) + " are the solution's; go on with lab " +
            std::to_string(stage + 1) + " (tools/course start)");
    }
}

} // namespace papaya::course
