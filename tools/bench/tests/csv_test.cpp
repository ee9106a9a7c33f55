#include <gtest/gtest.h>

#include <stdexcept>

#include "csv.hpp"
#include "report.hpp"

using namespace bench;

// A field holding the characters CSV gives a meaning to survives a write and a read.
TEST(Csv, QuotedFieldsRoundTrip)
{
    const std::string nasty = "run failed: a \"quoted\" word, a comma\nand a second line";
    const std::string text = csv_field("plain") + "," + csv_field(nasty) + "," + csv_field("") + "\n" + "x,y,z\n";
    const auto records = parse_csv(text);
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0], (std::vector<std::string>{"plain", nasty, ""}));
    EXPECT_EQ(records[1], (std::vector<std::string>{"x", "y", "z"}));
    EXPECT_EQ(parse_csv("a,b\r\nc,d"), (std::vector<std::vector<std::string>>{{"a", "b"}, {"c", "d"}}));
}

TEST(Csv, BrokenQuotesNameTheirLine)
{
    try {
        parse_csv("a,b\nc,\"open\nd\n");
        FAIL() << "an open quote was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "line 2: a quote is never closed");
    }
    EXPECT_THROW(parse_csv("a,\"b\"c\n"), std::runtime_error);
}

// Every column of runs.csv is read back into the member it was written from.
TEST(RunsCsv, ARunRoundTrips)
{
    RunResult r;
    r.label = "event loop (stage 8)";
    r.stage = 8;
    r.workload = "chat";
    r.clients = 10000;
    r.valid = false;
    r.invalid_reason = "generator starved: runnable, but not running";
    r.correct = false;
    r.completed = true;
    r.errors = "lost 3, \"late\"";
    r.counts.delivered = 140000;
    r.cpu.n = 12;
    r.cpu.cv = 0.0625;
    r.cpu_us_per_delivery = 8.25;
    r.latency.p99_us = 82838;
    r.pss_loaded = 123456789;
    r.processes = 20002;
    r.server_stopped_in_time = true;
    const auto back = read_runs_csv(csv_header() + "\n" + csv_row(r) + "\n");
    ASSERT_EQ(back.size(), 1U);
    EXPECT_EQ(csv_row(back[0]), csv_row(r));
    EXPECT_EQ(back[0].stage, 8);
    EXPECT_EQ(back[0].errors, r.errors);
    EXPECT_FALSE(back[0].valid);
    EXPECT_TRUE(back[0].completed);
}

// Files written before `completed` and `stage` were columns: a run that could not be
// set up is known by its errors, the stage is unknown.
TEST(RunsCsv, OlderFilesWithoutTheNewColumnsAreRead)
{
    const std::string csv = "label,clients,valid,correct,errors,cpu_us_per_delivery\n"
                            "a,64,true,true,,7.5\n"
                            "b,64,false,false,\"run failed: the server closed 1 connection(s) during setup\",0\n"
                            "c,64,true,false,lost 2,9\n";
    const auto runs = read_runs_csv(csv);
    ASSERT_EQ(runs.size(), 3U);
    EXPECT_TRUE(runs[0].completed);
    EXPECT_DOUBLE_EQ(runs[0].cpu_us_per_delivery, 7.5);
    EXPECT_EQ(runs[0].stage, -1);
    EXPECT_FALSE(runs[1].completed);
    EXPECT_TRUE(runs[2].completed);
}

TEST(RunsCsv, BadValuesAreRefusedWithTheirRunAndColumn)
{
    const auto message = [](const std::string& csv) {
        try {
            read_runs_csv(csv);
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message("label,clients,valid,correct\na,64,true,true\nb,6x4,true,true\n"),
              "run 2, column clients: \"6x4\" is not a value of this column");
    EXPECT_EQ(message("label,clients,valid,correct\na,64,yes,true\n"),
              "run 1, column valid: \"yes\" is not a value of this column");
    EXPECT_EQ(message("label,clients,valid,correct\na,64,true\n"), "run 1 has 3 fields, the header 4");
    EXPECT_EQ(message("name,count\n"), "the header has no column \"label\": not a runs.csv");
}
