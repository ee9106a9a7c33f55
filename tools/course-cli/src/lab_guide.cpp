#include "lab_guide.hpp"

#include "papaya/stages.hpp"

namespace papaya::course {

std::string goal_section(std::string_view readme, std::size_t max_lines)
{
    std::string out;
    std::size_t lines = 0;
    bool in_goal = false;
    while (!readme.empty() && lines < max_lines) {
        const auto end = readme.find('\n');
        const auto line = readme.substr(0, end);
        readme.remove_prefix(end == std::string_view::npos ? readme.size() : end + 1);
        if (line.substr(0, 3) == "## ") {
            in_goal = line.substr(0, 7) == "## Goal";
        } else if (in_goal && !line.empty()) {
            out += std::string(line) + "\n";
            ++lines;
        }
    }
    return out;
}

std::string readme_path(int stage)
{
    return std::string(stages.at(static_cast<std::size_t>(stage)).folder) + "/README.md";
}

std::string files_to_edit(int stage)
{
    std::string out;
    for (const auto file : stages.at(static_cast<std::size_t>(stage)).files)
        out += (out.empty() ? "labs/server/" : " labs/server/") + std::string(file);
    return out;
}

} // namespace papaya::course
