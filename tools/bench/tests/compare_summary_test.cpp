#include <gtest/gtest.h>

#include <cmath>

#include "compare_summary.hpp"
#include "csv.hpp"

using namespace bench;

namespace {

RunResult run(const std::string& label, double us_per_delivery)
{
    RunResult r;
    r.label = label;
    r.clients = 64;
    r.cpu.mean = us_per_delivery; // CPU % in proportion, for the CPU ratio
    r.cpu_us_per_delivery = us_per_delivery;
    r.deliveries_per_s = 20000;
    r.context_switches_per_s = 2000;
    r.mem_per_client = 2048;
    return r;
}

RunResult failed(const std::string& label)
{
    RunResult r;
    r.label = label;
    r.clients = 64;
    r.valid = r.correct = r.completed = false;
    r.errors = r.invalid_reason = "run failed: the server closed 1 connection(s) during setup";
    return r;
}

} // namespace

// Ratios are per interleaved repeat, to the last server; the floor multiple is
// the median CPU per delivery over the floor's.
TEST(CompareSummary, RatiosToTheLastServerAndMultiplesOfTheFloor)
{
    const PointSummary p = summarize_point(64,
                                           {{run("a", 10), run("a", 30), run("a", 20)},
                                            {run("ref", 20), run("ref", 20), run("ref", 40)}},
                                           {"a", "ref"}, 4);
    ASSERT_EQ(p.sides.size(), 2U);
    EXPECT_DOUBLE_EQ(p.sides[0].us_per_delivery_ratio.median, 0.5); // 0.5, 1.5, 0.5
    EXPECT_DOUBLE_EQ(p.sides[0].us_per_delivery_ratio.min, 0.5);
    EXPECT_DOUBLE_EQ(p.sides[0].us_per_delivery_ratio.max, 1.5);
    EXPECT_DOUBLE_EQ(p.sides[0].floor_multiple, 5); // median 20 over 4
    EXPECT_DOUBLE_EQ(p.sides[1].floor_multiple, 5); // median 20 over 4
    EXPECT_DOUBLE_EQ(p.sides[0].switches_per_delivery, 0.1);
    EXPECT_TRUE(p.notes.empty()) << p.notes;
    EXPECT_NE(table_rows(p).find("floor (kernel)"), std::string::npos);
}

// A reference that never ran gives no ratio (not a ratio of 0), a server whose
// every run failed is a FAILED row with no numbers and is not drawn, and an
// unknown floor gives no multiple.
TEST(CompareSummary, FailedServersAndMissingReferencesAreNotNumbers)
{
    const PointSummary p = summarize_point(64, {{run("a", 10)}, {failed("ref")}}, {"a", "ref"}, std::nan(""));
    EXPECT_TRUE(std::isnan(p.sides[0].us_per_delivery_ratio.median));
    EXPECT_TRUE(std::isnan(p.sides[0].floor_multiple));
    EXPECT_EQ(p.sides[1].failed_runs, 1U);
    EXPECT_FALSE(p.sides[1].no_valid_run()); // failed, which is not "invalid"
    EXPECT_NE(p.notes.find("ref: 1 FAILED (run failed: the server closed"), std::string::npos) << p.notes;
    const std::string rows = table_rows(p);
    EXPECT_NE(rows.find("FAILED: no run could be set up"), std::string::npos) << rows;
    EXPECT_NE(rows.find(" - [-..-]"), std::string::npos) << rows;
    EXPECT_EQ(rows.find("floor (kernel)"), std::string::npos) << rows;
    const PlotPoint plotted = plot_point(p);
    EXPECT_TRUE(plotted.sides[0].measured);
    EXPECT_FALSE(plotted.sides[1].measured);
    EXPECT_NE(summary_json_entry(p, 0).find("\"ratio_us_per_delivery_median\": null"), std::string::npos);
}

// Runs that all completed but were flagged invalid are not a server result: said
// so, and not drawn.
TEST(CompareSummary, APointWithoutAValidRunSaysWhy)
{
    RunResult late = run("a", 10);
    late.valid = false;
    late.invalid_reason = "generator late: send lag p99 7554 us";
    const PointSummary p = summarize_point(64, {{late}, {run("ref", 20)}}, {"a", "ref"}, 4);
    EXPECT_TRUE(p.sides[0].no_valid_run());
    EXPECT_NE(p.notes.find("a: no valid run (generator late: send lag p99 7554 us): not a server result"),
              std::string::npos)
        << p.notes;
    EXPECT_FALSE(plot_point(p).sides[0].measured);
}

// A run that could not be set up is counted once, as FAILED, not also as invalid.
TEST(CompareSummary, AFailedRunIsNotAlsoCountedInvalid)
{
    RunResult starved = run("a", 30);
    starved.valid = false;
    starved.invalid_reason = "generator starved";
    const PointSummary p = summarize_point(64, {{run("a", 10), failed("a"), starved}, {run("ref", 20)}}, {"a", "ref"},
                                           std::nan(""));
    EXPECT_NE(p.notes.find("a: 1 invalid; "), std::string::npos) << p.notes;
    EXPECT_NE(p.notes.find("a: 1 FAILED ("), std::string::npos) << p.notes;
}

// A ratio pairs the two servers' runs of one repeat (they ran side by side): an
// invalid run drops its pair, it does not shift the later runs onto other repeats.
TEST(CompareSummary, AnInvalidRunDropsItsPairOnly)
{
    RunResult starved = run("a", 999);
    starved.valid = false;
    starved.invalid_reason = "generator starved";
    const PointSummary p =
        summarize_point(64, {{run("a", 10), starved, run("a", 30)}, {run("ref", 20), run("ref", 20), run("ref", 60)}},
                        {"a", "ref"}, std::nan(""));
    EXPECT_DOUBLE_EQ(p.sides[0].us_per_delivery_ratio.median, 0.5); // 10/20 and 30/60
    EXPECT_DOUBLE_EQ(p.sides[0].us_per_delivery_ratio.max, 0.5);
    EXPECT_DOUBLE_EQ(p.sides[0].us_per_delivery, 20); // the median of the valid runs, 10 and 30
}

// A label is one CSV field of summary.csv even when it holds a comma or a quote.
TEST(CompareSummary, ALabelWithACommaIsOneField)
{
    const std::string label = "papayad, \"stage 8\"";
    const PointSummary p = summarize_point(64, {{run(label, 10)}, {run("ref", 20)}}, {label, "ref"}, std::nan(""));
    const auto records = parse_csv(summary_csv_header() + summary_csv_row(p, 0));
    ASSERT_EQ(records.size(), 2U);
    ASSERT_EQ(records[1].size(), records[0].size());
    EXPECT_EQ(records[1][2], label);
}
