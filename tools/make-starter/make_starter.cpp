// papaya-make-starter: writes the student's starter version of a solution
// stage file. The solution marks what students write:
//
//     // @lab N(param, ...): what to write     <- begins a region
//     ...the solution's lines...
//     // @starter                               <- optional: the starter's own lines follow,
//     // ...commented out...                       each behind "// "
//     // @end                                   <- ends the region
//
// In the starter a region becomes its @starter lines (lab 5's given code with
// its planted bugs), or else `todo(N, "what", param, ...);` inside a function
// (an indented marker) or `// TODO(lab N): what` outside one. Everything
// outside the regions is copied, so the two versions differ only in the
// bodies students write.
//
// N must be the lab that labs/stages.json lists the file under (papaya::stages):
// a region of another lab would be graded, and stubbed, with the wrong lab.
//
// This is the one reader of these markers. Other tools ask it instead of
// parsing them: `--print starter FILE` writes the starter to stdout, and
// `--print solution FILE` the solution without the markers and the @starter
// lines (what the slides quote: slides/tools/snippets.mjs).
#include "papaya/stages.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Marker {
    std::string indent;
    std::string keyword; // "lab", "starter", "end", or empty for an ordinary line
    std::string rest;    // after the keyword
};

Marker parse_marker(const std::string& line)
{
    const auto start = line.find_first_not_of(' ');
    if (start == std::string::npos || line.compare(start, 4, "// @") != 0) return {};
    const std::string body = line.substr(start + 4);
    for (const char* keyword : {"lab", "starter", "end"}) {
        const std::string k = keyword;
        if (body.compare(0, k.size(), k) == 0 &&
            (body.size() == k.size() || body[k.size()] == ' ' || body[k.size()] == '('))
            return {line.substr(0, start), k, body.substr(k.size())};
    }
    return {};
}

std::string quoted(const std::string& text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

/// A stage file and the lab that labs/stages.json lists it under.
struct StageFile {
    std::string file; ///< e.g. "chat_log.cpp"
    int number;       ///< its lab
};

StageFile stage_of_file(const std::string& path)
{
    const std::string file = std::filesystem::path(path).filename().string();
    for (const auto& stage : papaya::stages) {
        for (const auto listed : stage.files) {
            if (listed == file) return {file, stage.number};
        }
    }
    throw std::runtime_error(path + ": no stage of labs/stages.json lists " + file + " among its files");
}

/// A `// @lab N(args): what` marker, read and checked where it stands.
struct Region {
    std::string indent;
    int lab = -1;
    std::string args;
    std::string what;
};

Region parse_region(const Marker& marker, const StageFile& stage, const std::string& where)
{
    std::istringstream in(marker.rest);
    Region region;
    region.indent = marker.indent;
    in >> region.lab;
    if (!in || region.lab < 0 || region.lab > papaya::last_stage)
        throw std::runtime_error(where + ": expected `// @lab N: what` with N in 0.." +
                                 std::to_string(papaya::last_stage));
    if (region.lab != stage.number)
        throw std::runtime_error(where + ": `// @lab " + std::to_string(region.lab) + "` in " + stage.file +
                                 ", which labs/stages.json lists under lab " + std::to_string(stage.number) +
                                 " (a stage file holds its own lab's regions only)");
    std::string rest;
    std::getline(in, rest);
    if (!rest.empty() && rest[0] == '(') {
        const auto close = rest.find(')');
        if (close == std::string::npos) throw std::runtime_error(where + ": unclosed ( in the @lab marker");
        region.args = rest.substr(1, close - 1);
        rest = rest.substr(close + 1);
    }
    if (rest.size() < 2 || rest.compare(0, 2, ": ") != 0)
        throw std::runtime_error(where + ": expected `: what to write` after the lab number");
    region.what = rest.substr(2);
    return region;
}

/// The starter's stub line for a region without @starter lines.
std::string stub(const Region& region)
{
    const std::string lab = std::to_string(region.lab);
    if (region.indent.empty()) return "// TODO(lab " + lab + "): " + region.what;
    return region.indent + "todo(" + lab + ", " + quoted(region.what) +
           (region.args.empty() ? "" : ", " + region.args) + ");";
}

std::string uncomment(const std::string& line, const std::string& indent, const std::string& where)
{
    if (line.compare(0, indent.size(), indent) != 0)
        throw std::runtime_error(where + ": @starter line less indented than its marker");
    std::string rest = line.substr(indent.size());
    if (rest == "//") return "";
    if (rest.compare(0, 3, "// ") != 0) throw std::runtime_error(where + ": @starter lines must start with \"// \"");
    return indent + rest.substr(3);
}

/// The two versions of a solution file the markers describe.
struct Versions {
    std::string starter;  ///< The student's file (labs/server/).
    std::string solution; ///< The solution without the markers and the @starter lines.
};

Versions make_versions(std::istream& in, const std::string& name)
{
    const StageFile stage = stage_of_file(name);
    Versions out;
    std::string line;
    int number = 0;
    enum { outside, solution, starter } state = outside;
    Region open;
    std::vector<std::string> starter_lines;
    while (std::getline(in, line)) {
        ++number;
        const std::string where = name + ":" + std::to_string(number);
        const Marker marker = parse_marker(line);
        if (marker.keyword == "lab") {
            if (state != outside) throw std::runtime_error(where + ": @lab inside a region");
            state = solution;
            open = parse_region(marker, stage, where);
            starter_lines.clear();
        } else if (marker.keyword == "starter") {
            if (state != solution) throw std::runtime_error(where + ": @starter outside a region");
            state = starter;
        } else if (marker.keyword == "end") {
            if (state == outside) throw std::runtime_error(where + ": @end without @lab");
            if (state == starter) {
                for (const auto& l : starter_lines) out.starter += l + '\n';
            } else {
                out.starter += stub(open) + '\n';
            }
            state = outside;
        } else if (state == outside) {
            out.starter += line + '\n';
            out.solution += line + '\n';
        } else if (state == solution) {
            out.solution += line + '\n';
        } else {
            starter_lines.push_back(uncomment(line, open.indent, where));
        }
    }
    if (state != outside) throw std::runtime_error(name + ": a region is not closed with // @end");
    return out;
}

Versions read_versions(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    return make_versions(in, path);
}

/// Writes @p text to @p path unless the file holds it already (no needless rebuild).
void write_if_changed(const std::string& path, const std::string& text)
{
    std::ifstream old(path);
    std::stringstream previous;
    previous << old.rdbuf();
    if (old && previous.str() == text) return;
    std::ofstream out(path);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

constexpr const char* usage = "usage: papaya-make-starter SOLUTION_FILE STARTER_FILE\n"
                              "       papaya-make-starter --print starter|solution SOLUTION_FILE\n"
                              "Writes the starter version of a stage file (see the comment in tools/make-starter);\n"
                              "--print writes the starter, or the solution without the markers, to stdout.\n";

} // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    const bool print = args.size() == 3 && args[0] == "--print" && (args[1] == "starter" || args[1] == "solution");
    if (!print && (args.size() != 2 || args[0].starts_with("-"))) {
        std::cerr << usage;
        return 2;
    }
    try {
        if (print) {
            const Versions versions = read_versions(args[2]);
            std::cout << (args[1] == "starter" ? versions.starter : versions.solution);
            if (!std::cout.flush()) throw std::runtime_error("cannot write to stdout");
        } else {
            write_if_changed(args[1], read_versions(args[0]).starter);
        }
    } catch (const std::exception& error) {
        std::cerr << "papaya-make-starter: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
