#include <gtest/gtest.h>

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
    std::vector<PlotPoint> points(2);
    for (std::size_t i = 0; i < points.size(); ++i) {
        PlotPoint& p = points[i];
        p.clients = i == 0 ? 1 : 1000;
        for (int s = 0; s < 2; ++s) {
            const double k = 1.0 + static_cast<double>(i) * 10 + s;
            p.cpu[s] = 0.152873 * k, p.cpu_lo[s] = 0.132968 * k, p.cpu_hi[s] = 0.17781 * k;
            p.cv[s] = 0.0664469 * k, p.cv_lo[s] = 0.0333384 * k, p.cv_hi[s] = 0.0868326 * k;
            p.us_per_delivery[s] = 152.873 * k, p.p99_us[s] = 548.863 * k, p.mem_kib[s] = 433 * k;
        }
    }
    const std::string d = dir.path().string();
    (void)render_plots(d, "t", "A", "B", points); // gnuplot may be missing: plot.dat is written anyway
    const std::string first = slurp(d + "/plot.dat");
    const auto back = read_plot_data(d);
    ASSERT_EQ(back.size(), points.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
        EXPECT_EQ(back[i].clients, points[i].clients);
        for (int s = 0; s < 2; ++s) {
            EXPECT_NEAR(back[i].cpu_hi[s], points[i].cpu_hi[s], 1e-5 * points[i].cpu_hi[s]);
            EXPECT_NEAR(back[i].cv_lo[s], points[i].cv_lo[s], 1e-5 * points[i].cv_lo[s]);
            EXPECT_NEAR(back[i].p99_us[s], points[i].p99_us[s], 1e-5 * points[i].p99_us[s]);
            EXPECT_NEAR(back[i].mem_kib[s], points[i].mem_kib[s], 1e-5 * points[i].mem_kib[s]);
        }
    }
    // Drawn again from what was read: the data file is byte for byte the same.
    (void)render_plots(d, "t", "A", "B", back);
    EXPECT_EQ(slurp(d + "/plot.dat"), first);
}

TEST(Plots, ATruncatedDataLineIsAnError)
{
    papaya::process::TempDir dir{"papaya-bench-plots"};
    std::ofstream(dir.path() / "plot.dat") << "# header\n1 0.1 0.1 0.2\n";
    EXPECT_THROW(read_plot_data(dir.path().string()), std::runtime_error);
}
