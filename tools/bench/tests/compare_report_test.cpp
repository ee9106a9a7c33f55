#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "compare_report.hpp"
#include "papaya/process/temp_dir.hpp"
#include "report.hpp"

using namespace bench;

namespace {

// Values a %.6g column holds exactly, so the table made from runs.csv is the same text.
RunResult run(const std::string& label, int stage, std::uint32_t clients, double us_per_delivery)
{
    RunResult r;
    r.label = label;
    r.stage = stage;
    r.workload = "chat";
    r.clients = clients;
    r.cpu.mean = us_per_delivery;
    r.cpu.cv = 0.125;
    r.cpu_us_per_delivery = us_per_delivery;
    r.deliveries_per_s = 20000;
    r.latency.p99_us = 2500;
    r.cpu_source = "cgroup v2 cpu.stat";
    return r;
}

RunResult lost(const std::string& label, int stage, std::uint32_t clients)
{
    RunResult r = run(label, stage, clients, 40);
    r.correct = false;
    r.errors = "lost 7 of 1000 deliveries";
    return r;
}

CompareRuns two_servers()
{
    CompareRuns c;
    c.title = "chat: two";
    c.labels = {"threads", "goref"};
    c.clients = {64, 256, 1000};
    c.repeat = 2;
    c.runs = {run("threads", 7, 64, 26.5), run("goref", 6, 64, 29.5), run("threads", 7, 64, 27.5),
              run("goref", 6, 64, 28.5),   lost("threads", 7, 256),   run("goref", 6, 256, 35),
              run("goref", 6, 256, 34),    run("goref", 6, 1000, 31), run("goref", 6, 1000, 32)};
    c.floor_us = {{64, 4.5}, {256, 4.75}};
    return c;
}

std::string report(const CompareRuns& c, const std::string& dir)
{
    std::ostringstream out;
    report_compare(c, dir, false, out);
    return out.str();
}

} // namespace

// A server that lost deliveries and was run no more is shown as stopped, with
// where and why, at every later count; the stages measured are explained.
TEST(CompareReport, AStoppedServerSaysWhereAndWhy)
{
    const std::string table = report(two_servers(), "");
    EXPECT_NE(table.find("1 INCORRECT"), std::string::npos) << table;
    EXPECT_NE(table.find("threads: not run (stopped at 256 clients: lost 7 of 1000 deliveries)"), std::string::npos)
        << table;
    EXPECT_NE(table.find("Stage 7 "), std::string::npos) << table;
    EXPECT_NE(table.find("!!!!!!!! 1 run(s) INCORRECT"), std::string::npos) << table;
}

// Notes of any length end their row; the next row starts on its own line.
TEST(CompareReport, LongNotesAreNeverCut)
{
    CompareRuns c = two_servers();
    for (auto& r : c.runs)
        if (!r.correct) r.errors = std::string(600, 'x');
    const std::string table = report(c, "");
    EXPECT_NE(table.find(std::string(600, 'x') + "); \n"), std::string::npos) << table;
    EXPECT_NE(table.find("\n    256 | floor (kernel)"), std::string::npos) << table;
}

// papaya-bench summarize: the report made from runs.csv read back is the report
// of the runs themselves, and it rewrites the summaries in the directory.
TEST(CompareReport, RunsCsvReadBackGivesTheSameReport)
{
    const papaya::process::TempDir dir{"papaya-bench-test"};
    const CompareRuns c = two_servers();
    {
        std::ofstream csv(dir.file("runs.csv"));
        csv << csv_header() << "\n";
        for (const auto& r : c.runs) csv << csv_row(r) << "\n";
    }
    CompareRuns back = read_compare_runs(dir.path().string());
    EXPECT_EQ(back.labels, c.labels);
    EXPECT_EQ(back.clients, c.clients);
    EXPECT_EQ(back.repeat, 2);
    back.title = c.title;
    back.floor_us = c.floor_us;
    const papaya::process::TempDir original{"papaya-bench-test"};
    EXPECT_EQ(report(back, dir.path().string()), report(c, original.path().string()));
    std::ifstream summary(dir.file("summary.csv"));
    std::string header, line;
    std::getline(summary, header);
    int rows = 0;
    while (std::getline(summary, line)) ++rows;
    EXPECT_EQ(rows, 6); // two servers at three counts
}

TEST(CompareReport, AMissingRunsCsvIsNamed)
{
    const papaya::process::TempDir dir{"papaya-bench-test"};
    try {
        read_compare_runs(dir.path().string());
        FAIL() << "no runs.csv was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/runs.csv (a compare --out directory holds it)"), std::string::npos)
            << e.what();
    }
}
