#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "papaya/process/temp_dir.hpp"
#include "plots.hpp"

using namespace bench;

namespace {

std::string slurp(const std::string& file)
{
    std::ifstream in(file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

// `papaya-bench plot DIR` draws committed results again from their plot.dat:
// reading it back must give the very points that were written, or the new
// plots would not show the measured data.
TEST(Plots, PlotDataReadsBackWhatRenderWrote)
{
    papaya::process::TempDir dir{"papaya-bench-plots"};
    const std::vector<std::string> labels{"A", "B", "C"};
    std::vector<PlotPoint> points(2);
    for (std::size_t i = 0; i < points.size(); ++i) {
        PlotPoint& p = points[i];
        p.clients = i == 0 ? 1 : 1000;
        if (i == 1) p.floor_us = 4.31; // the floor measured at one count only
        for (std::size_t s = 0; s < labels.size(); ++s) {
            const double k = 1.0 + static_cast<double>(i) * 10 + static_cast<double>(s);
            PlotSeries series;
            series.cpu = 0.152873 * k, series.cpu_lo = 0.132968 * k, series.cpu_hi = 0.17781 * k;
            series.cv = 0.0664469 * k, series.cv_lo = 0.0333384 * k, series.cv_hi = 0.0868326 * k;
            series.us_per_delivery = 152.873 * k, series.p99_us = 548.863 * k, series.mem_kib = 433 * k;
            series.measured = !(i == 1 && s == 2); // a server that stopped before 1000 clients
            p.sides.push_back(series);
        }
    }
    const std::string d = dir.path().string();
    (void)render_plots(d, "t", labels, points); // gnuplot may be missing: plot.dat is written anyway
    const std::string first = slurp(d + "/plot.dat");
    const auto back = read_plot_data(d);
    ASSERT_EQ(back.size(), points.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
        EXPECT_EQ(back[i].clients, points[i].clients);
        ASSERT_EQ(back[i].sides.size(), labels.size());
        for (std::size_t s = 0; s < labels.size(); ++s) {
            const PlotSeries& got = back[i].sides[s];
            const PlotSeries& put = points[i].sides[s];
            EXPECT_EQ(got.measured, put.measured);
            if (!put.measured) continue;
            EXPECT_NEAR(got.cpu_hi, put.cpu_hi, 1e-5 * put.cpu_hi);
            EXPECT_NEAR(got.cv_lo, put.cv_lo, 1e-5 * put.cv_lo);
            EXPECT_NEAR(got.us_per_delivery, put.us_per_delivery, 1e-5 * put.us_per_delivery);
            EXPECT_NEAR(got.p99_us, put.p99_us, 1e-5 * put.p99_us);
            EXPECT_NEAR(got.mem_kib, put.mem_kib, 1e-5 * put.mem_kib);
        }
    }
    EXPECT_TRUE(std::isnan(back[0].floor_us));
    EXPECT_DOUBLE_EQ(back[1].floor_us, 4.31);
    // Drawn again from what was read: the data file is byte for byte the same.
    (void)render_plots(d, "t", labels, back);
    EXPECT_EQ(slurp(d + "/plot.dat"), first);
    // The floor is drawn on the CPU-per-delivery figure, from the column after the last server's.
    const std::string script = slurp(d + "/plots.gp");
    EXPECT_NE(script.find("using 1:29 with linespoints lw 4 dt 2 lc 'black' title 'floor (kernel)'"), std::string::npos)
        << script;
}

TEST(Plots, ServersOfDifferentCountsOnOneFileAreAnError)
{
    papaya::process::TempDir dir{"papaya-bench-plots"};
    std::ofstream(dir.path() / "plot.dat") << "1 1 1 1 1 1 1 1 1 1 ?\n8 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 ?\n";
    EXPECT_THROW(read_plot_data(dir.path().string()), std::runtime_error);
}

TEST(Plots, ATruncatedDataLineIsAnError)
{
    papaya::process::TempDir dir{"papaya-bench-plots"};
    std::ofstream(dir.path() / "plot.dat") << "# header\n1 0.1 0.1 0.2\n";
    EXPECT_THROW(read_plot_data(dir.path().string()), std::runtime_error);
}
