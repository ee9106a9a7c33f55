#include "plots.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include "papaya/syscall_error.hpp"

namespace bench {

namespace {

int run_gnuplot(const std::string& dir, const std::string& script)
{
    const pid_t pid = papaya::check_syscall(::fork(), "fork");
    if (pid == 0) {
        if (::chdir(dir.c_str()) != 0) ::_exit(126);
        ::execlp("gnuplot", "gnuplot", script.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) papaya::throw_syscall_error("waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// Drawn for a lecture slide (slides/tools/build.mjs shows a plot 400 px
// high on a 1280x720 slide, 1152 px wide inside its margins): at that size
// every text is 20 px, what the slides' browser check asks for (>= 18 px),
// and the data lines are 4 px wide. The font is the slides' own
// (slides/tools/fonts.mjs), named rather than left to the machine.
constexpr const char* slide_style = "size 1152,400 font 'DejaVu Sans,20'";

std::string gnuplot_verdict(const std::string& dir, const std::string& script)
{
    const int rc = run_gnuplot(dir, script);
    if (rc == 127) return "gnuplot not found (install gnuplot-nox); the data and script are in " + dir;
    if (rc != 0) return "gnuplot failed (exit " + std::to_string(rc) + ")";
    return {};
}

} // namespace

namespace {

// plot.dat: clients, then per server the columns of PlotSeries in this order,
// then the floor ('?' when not measured: gnuplot's missing value).
constexpr std::size_t columns_per_side = 9;

int first_column(std::size_t side) { return static_cast<int>(2 + columns_per_side * side); }

struct Figure {
    const char* name;
    const char* ylabel;
    int offset; // of the series' first column inside a side; errorbars when lo/hi follow
    bool bars;
    bool logy;
    bool with_floor;
};

// Short axis labels: the rotated y label must fit the plot's height at slide size.
constexpr Figure figures[] = {
    {"cpu_percent", "server CPU % (one core)", 0, true, false, false},
    {"cpu_cv", "CV of CPU %", 3, true, false, false},
    {"cpu_per_delivery", "CPU us per delivery", 6, false, true, true},
    {"p99_latency", "p99 delivery latency, us", 7, false, true, false},
    {"memory_per_client", "PSS per client, KiB", 8, false, true, false},
};

void write_plot_data(const std::string& dir, const std::vector<PlotPoint>& points)
{
    std::ofstream dat(dir + "/plot.dat");
    dat << "# clients, then per server: cpu% lo hi, cv lo hi, us/delivery, p99 us, KiB/client; "
           "last: the floor's us/delivery (? = not measured)\n";
    for (const auto& p : points) {
        dat << p.clients;
        for (const auto& s : p.sides)
            if (!s.measured)
                for (std::size_t i = 0; i < columns_per_side; ++i) dat << " ?";
            else
                dat << ' ' << s.cpu << ' ' << s.cpu_lo << ' ' << s.cpu_hi << ' ' << s.cv << ' ' << s.cv_lo << ' '
                    << s.cv_hi << ' ' << s.us_per_delivery << ' ' << s.p99_us << ' ' << s.mem_kib;
        if (std::isnan(p.floor_us)) dat << " ?\n";
        else dat << ' ' << p.floor_us << '\n';
    }
}

} // namespace

std::string plot_names()
{
    std::string names;
    for (const auto& f : figures) names += (names.empty() ? "{" : ",") + std::string(f.name);
    return names + "}";
}

std::vector<PlotPoint> read_plot_data(const std::string& dir)
{
    std::ifstream dat(dir + "/plot.dat");
    if (!dat) throw std::runtime_error("cannot read " + dir + "/plot.dat");
    std::vector<PlotPoint> points;
    std::string line;
    while (std::getline(dat, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> words;
        std::istringstream split(line);
        for (std::string w; split >> w;) words.push_back(w);
        const bool shaped = words.size() >= 2 + columns_per_side && (words.size() - 2) % columns_per_side == 0;
        const std::size_t sides = shaped ? (words.size() - 2) / columns_per_side : 0;
        if (!shaped || (!points.empty() && points.front().sides.size() != sides))
            throw std::runtime_error(dir + "/plot.dat: not a papaya-bench data line: " + line);
        // '?' is gnuplot's missing value: a server not measured there, or the floor.
        const auto number = [&](std::size_t i) {
            if (words[i] == "?") return std::nan("");
            std::size_t used = 0;
            try {
                const double value = std::stod(words[i], &used);
                if (used == words[i].size()) return value;
            } catch (const std::logic_error&) { // not a number, or out of range
            }
            throw std::runtime_error(dir + "/plot.dat: not a number: " + words[i] + " in: " + line);
        };
        PlotPoint p;
        p.clients = number(0);
        p.sides.resize(sides);
        for (std::size_t s = 0; s < sides; ++s) {
            const std::size_t at = 1 + s * columns_per_side;
            PlotSeries& series = p.sides[s];
            series.measured = words[at] != "?";
            double* fields[] = {&series.cpu,   &series.cpu_lo,          &series.cpu_hi, &series.cv,     &series.cv_lo,
                                &series.cv_hi, &series.us_per_delivery, &series.p99_us, &series.mem_kib};
            for (std::size_t f = 0; f < columns_per_side; ++f) *fields[f] = number(at + f);
        }
        p.floor_us = number(words.size() - 1);
        points.push_back(p);
    }
    return points;
}

std::string render_plots(const std::string& dir, const std::string& title, const std::vector<std::string>& labels,
                         const std::vector<PlotPoint>& points)
{
    write_plot_data(dir, points);
    const int floor_column = first_column(labels.size());
    const bool floor_known = std::any_of(points.begin(), points.end(),
                                         [](const PlotPoint& p) { return !std::isnan(p.floor_us); });
    // The measured client counts as the x tics (powers of 2 collided at 1024, 4096, 16384),
    // thousands as "4k" so that neighbours on the log scale fit side by side.
    std::string xtics;
    for (const auto& p : points) {
        std::ostringstream tic;
        if (p.clients >= 1000 && std::fmod(p.clients, 1000) == 0) tic << '"' << p.clients / 1000 << "k\" ";
        else tic << '"' << p.clients << "\" ";
        tic << p.clients;
        xtics += (xtics.empty() ? "" : ", ") + tic.str();
    }
    const char* style = slide_style;
    std::ofstream gp(dir + "/plots.gp");
    gp << "# generated by papaya-bench; rerun with: gnuplot plots.gp\n"
       << "set logscale x 2\nset grid\nset key outside right top samplen 2\nset xlabel 'clients'\nset pointsize 1.5\n"
       << "set xtics (" << xtics << ")\n"
       << "set datafile missing '?'\n";
    for (const std::string& term : {std::string("pngcairo ") + style, std::string("svg ") + style + " fixed"}) {
        const std::string ext = term.starts_with("png") ? "png" : "svg";
        gp << "set terminal " << term << "\n";
        for (const auto& f : figures) {
            gp << "set output '" << f.name << '.' << ext << "'\n"
               << "set title \"" << title << (f.bars ? ": median, bars min..max" : ": median") << "\"\nset ylabel '"
               << f.ylabel << "'\n"
               << (f.logy ? "set logscale y\n" : "unset logscale y\nset yrange [0:*]\n") << "plot ";
            for (std::size_t s = 0; s < labels.size(); ++s) {
                const int c = first_column(s) + f.offset;
                gp << (s == 0 ? "'plot.dat'" : ", ''") << " using 1:" << c;
                if (f.bars) gp << ':' << c + 1 << ':' << c + 2;
                gp << (f.bars ? " with yerrorlines" : " with linespoints") << " lw 4 title '" << labels[s] << "'";
            }
            if (f.with_floor && floor_known)
                gp << ", '' using 1:" << floor_column
                   << " with linespoints lw 4 dt 2 lc 'black' title 'floor (kernel)'";
            gp << "\nset yrange [*:*]\n";
        }
    }
    gp << "unset output\n";
    gp.close();
    return gnuplot_verdict(dir, "plots.gp");
}

std::string render_timeline(const std::string& dir, const std::string& title, const std::string& data_file)
{
    std::ofstream gp(dir + "/soak.gp");
    gp << "# generated by papaya-soak; rerun with: gnuplot soak.gp\n"
       << "set grid\nset key outside right top\nset xlabel 'minutes'\nset yrange [0:*]\n";
    const std::string terminals[] = {std::string("pngcairo ") + slide_style,
                                     std::string("svg ") + slide_style + " fixed"};
    for (const std::string& term : terminals) {
        const std::string ext = term.starts_with("png") ? "png" : "svg";
        gp << "set terminal " << term << "\n"
           << "set output 'soak_counts." << ext << "'\nset title \"" << title << ": processes, threads, fds\"\n"
           << "set ylabel 'count'\n"
           << "plot '" << data_file << "' using 1:3 with lines lw 4 title 'processes', '' using 1:5 with lines lw 4 "
           << "dt 2 title 'threads', '' using 1:6 with lines lw 4 title 'open fds', "
              "'' using 1:4 with lines lw 4 title 'zombies'\n"
           << "set output 'soak_memory." << ext << "'\nset title \"" << title << ": memory and log\"\n"
           << "set ylabel 'MiB'\n"
           << "plot '" << data_file << "' using 1:7 with lines lw 4 title 'PSS', '' using 1:8 with lines lw 4 "
           << "title 'chat log'\n";
    }
    gp << "unset output\n";
    gp.close();
    return gnuplot_verdict(dir, "soak.gp");
}

} // namespace bench
