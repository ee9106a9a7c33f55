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
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Marker {
    std::string indent;
    std::string keyword;  // "lab", "starter", "end", or empty for an ordinary line
    std::string rest;     // after the keyword
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

/// `// @lab N(args): what` -> the starter's stub line.
std::string stub(const Marker& marker, const std::string& where)
{
    std::istringstream in(marker.rest);
    int lab = -1;
    in >> lab;
    if (!in || lab < 0 || lab > 6) throw std::runtime_error(where + ": expected `// @lab N: what` with N in 0..6");
    std::string rest;
    std::getline(in, rest);
    std::string args;
    if (!rest.empty() && rest[0] == '(') {
        const auto close = rest.find(')');
        if (close == std::string::npos) throw std::runtime_error(where + ": unclosed ( in the @lab marker");
        args = rest.substr(1, close - 1);
        rest = rest.substr(close + 1);
    }
    if (rest.size() < 2 || rest.compare(0, 2, ": ") != 0)
        throw std::runtime_error(where + ": expected `: what to write` after the lab number");
    const std::string what = rest.substr(2);
    if (marker.indent.empty()) return "// TODO(lab " + std::to_string(lab) + "): " + what;
    return marker.indent + "todo(" + std::to_string(lab) + ", " + quoted(what) + (args.empty() ? "" : ", " + args) +
           ");";
}

std::string uncomment(const std::string& line, const std::string& indent, const std::string& where)
{
    if (line.compare(0, indent.size(), indent) != 0) throw std::runtime_error(where + ": @starter line less indented than its marker");
    std::string rest = line.substr(indent.size());
    if (rest == "//") return "";
    if (rest.compare(0, 3, "// ") != 0) throw std::runtime_error(where + ": @starter lines must start with \"// \"");
    return indent + rest.substr(3);
}

std::string make_starter(std::istream& in, const std::string& name)
{
    std::string out, line;
    int number = 0;
    enum { outside, solution, starter } state = outside;
    Marker open;
    std::vector<std::string> starter_lines;
    while (std::getline(in, line)) {
        ++number;
        const std::string where = name + ":" + std::to_string(number);
        const Marker marker = parse_marker(line);
        if (marker.keyword == "lab") {
            if (state != outside) throw std::runtime_error(where + ": @lab inside a region");
            state = solution;
            open = marker;
            starter_lines.clear();
        } else if (marker.keyword == "starter") {
            if (state != solution) throw std::runtime_error(where + ": @starter outside a region");
            state = starter;
        } else if (marker.keyword == "end") {
            if (state == outside) throw std::runtime_error(where + ": @end without @lab");
            if (state == starter) {
                for (const auto& l : starter_lines) out += l + '\n';
            } else {
                out += stub(open, where) + '\n';
            }
            state = outside;
        } else if (state == outside) {
            out += line + '\n';
        } else if (state == starter) {
            starter_lines.push_back(uncomment(line, open.indent, where));
        }
    }
    if (state != outside) throw std::runtime_error(name + ": a region is not closed with // @end");
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: papaya-make-starter SOLUTION_FILE STARTER_FILE\n"
                     "Writes the starter version of a stage file (see the comment in tools/make-starter).\n";
        return 2;
    }
    try {
        std::ifstream in(argv[1]);
        if (!in) throw std::runtime_error(std::string("cannot read ") + argv[1]);
        const std::string text = make_starter(in, argv[1]);
        std::ifstream old(argv[2]);
        std::stringstream previous;
        previous << old.rdbuf();
        if (old && previous.str() == text) return 0;  // unchanged: no needless rebuild
        std::ofstream out(argv[2]);
        out << text;
        if (!out.flush()) throw std::runtime_error(std::string("cannot write ") + argv[2]);
    } catch (const std::exception& error) {
        std::cerr << "papaya-make-starter: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
