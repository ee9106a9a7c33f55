#include "compare_report.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "compare_summary.hpp"
#include "file_io.hpp"
#include "papaya/stages.hpp"
#include "plots.hpp"
#include "recorded_path.hpp"
#include "report.hpp"

namespace bench {

namespace {

/// @p text folded into lines of at most @p width columns (at spaces).
std::string fold(std::string_view text, std::size_t width)
{
    std::string out;
    std::size_t column = 0;
    while (!text.empty()) {
        const auto space = text.find(' ');
        const std::string_view word = text.substr(0, space);
        if (column > 0 && column + 1 + word.size() > width) {
            out += '\n';
            column = 0;
        } else if (column > 0) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
    }
    return out + "\n";
}

/// The runs of @p label at @p clients, in the order they ran.
std::vector<RunResult> runs_of(const CompareRuns& c, const std::string& label, std::uint32_t clients)
{
    std::vector<RunResult> out;
    std::copy_if(c.runs.begin(), c.runs.end(), std::back_inserter(out),
                 [&](const RunResult& r) { return r.label == label && r.clients == clients; });
    return out;
}

/// Why @p label has no run at @p clients: where its first incorrect run was
/// (compare --stop-at-failure runs it no more from there).
std::string why_stopped(const CompareRuns& c, const std::string& label, std::uint32_t clients)
{
    for (const std::uint32_t earlier : c.clients) {
        if (earlier == clients) break;
        for (const auto& r : runs_of(c, label, earlier))
            if (!r.correct) return "at " + std::to_string(earlier) + " clients: " + r.errors;
    }
    return "earlier";
}

} // namespace

std::size_t report_compare(const CompareRuns& c, const std::string& out_dir, bool plots, std::ostream& out)
{
    out << "\n"
        << c.title << " (medians of " << c.repeat << " interleaved runs; ratios to " << c.labels.back()
        << ": median [min..max] of the per-repeat ratios" << (c.floor_us.empty() ? "" : "; x floor: over the kernel's")
        << ")\n"
        << table_header(c.labels.back());
    std::vector<PlotPoint> points;
    std::string summary_csv = summary_csv_header(), summary_json = "[";
    for (const std::uint32_t n : c.clients) {
        const auto floor = c.floor_us.find(n);
        const double floor_us = floor == c.floor_us.end() ? std::numeric_limits<double>::quiet_NaN() : floor->second;
        std::vector<std::vector<RunResult>> by_side;
        for (const auto& label : c.labels) by_side.push_back(runs_of(c, label, n));
        PointSummary point = summarize_point(n, by_side, c.labels, floor_us);
        for (auto& side : point.sides) {
            if (side.runs > 0) continue;
            side.stopped = why_stopped(c, side.label, n);
            point.notes += side.label + ": not run (stopped " + side.stopped + "); ";
        }
        out << table_rows(point);
        points.push_back(plot_point(point));
        for (std::size_t s = 0; s < point.sides.size(); ++s) {
            summary_csv += summary_csv_row(point, s);
            summary_json += (summary_json.size() > 1 ? ",\n " : "\n ") + summary_json_entry(point, s);
        }
    }
    const RunResult* first = c.runs.empty() ? nullptr : &c.runs.front();
    out << "CPU source: " << (first ? first->cpu_source : "")
        << (!first || first->memory_source.empty() ? "" : "; memory: PSS sum + " + first->memory_source) << "\n";
    // What the numbers mean at the stages measured, from the stage table.
    std::set<int> stages;
    for (const auto& r : c.runs)
        if (r.stage >= 0 && r.stage <= papaya::last_stage) stages.insert(r.stage);
    for (const int stage : stages)
        out << "\n" << fold(papaya::stages.at(static_cast<std::size_t>(stage)).compare_explain, 100);
    if (!out_dir.empty()) {
        create_file(out_dir + "/summary.csv", summary_csv);
        create_file(out_dir + "/summary.json", summary_json + "\n]\n");
        // The table is committed with the results: name the directory relative to the repository.
        const std::string where = recorded_path(out_dir);
        if (plots) {
            const std::string why = render_plots(out_dir, c.title, c.labels, points);
            out << (why.empty() ? "plots: " + where + "/" + plot_names() + ".{png,svg}" : why) << "\n";
        }
        out << "data: " << where << "/{runs,summary}.{csv,json}\n";
    }
    const auto failures = static_cast<std::size_t>(std::count_if(c.runs.begin(), c.runs.end(),
                                                                 [](const RunResult& r) { return !r.correct; }));
    if (failures)
        out << "!!!!!!!! " << failures << " run(s) INCORRECT (loss, duplicates, reordering or failure): see above\n";
    return failures;
}

CompareRuns read_compare_runs(const std::string& dir)
{
    const std::string path = dir + "/runs.csv";
    const auto text = try_read_file(path);
    if (!text) throw std::runtime_error("cannot read " + path + " (a compare --out directory holds it)");
    CompareRuns c;
    try {
        c.runs = read_runs_csv(*text);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
    if (c.runs.empty()) throw std::runtime_error(path + ": no runs");
    std::map<std::pair<std::string, std::uint32_t>, int> made;
    for (const auto& r : c.runs) {
        if (std::find(c.labels.begin(), c.labels.end(), r.label) == c.labels.end()) c.labels.push_back(r.label);
        if (std::find(c.clients.begin(), c.clients.end(), r.clients) == c.clients.end()) c.clients.push_back(r.clients);
        c.repeat = std::max(c.repeat, ++made[{r.label, r.clients}]);
    }
    return c;
}

} // namespace bench
