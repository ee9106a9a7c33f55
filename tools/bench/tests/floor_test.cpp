#include <gtest/gtest.h>

#include <fstream>

#include "floor.hpp"
#include "papaya/process/temp_dir.hpp"

using namespace bench;

// compare --floor takes the floor from papaya-bench floor --json: only correct
// runs paced by the writer count, or a multiple of the floor would be taken of
// a number the reader, or a broken line, made.
TEST(Floor, MediansLeaveOutReaderBoundAndIncorrectRuns)
{
    papaya::process::TempDir dir{"papaya-bench-floor"};
    const std::string file = (dir.path() / "runs.json").string();
    std::ofstream(file)
        << "[\n"
        << R"(  {"clients": 8, "size": 64, "cpu_us_per_delivery": 5, "reader_bound": false, "correct": true, "errors": ""},)"
        << "\n"
        << R"(  {"clients": 8, "size": 64, "cpu_us_per_delivery": 7, "reader_bound": false, "correct": true, "errors": ""},)"
        << "\n"
        << R"(  {"clients": 8, "size": 64, "cpu_us_per_delivery": 90, "reader_bound": true, "correct": true, "errors": ""},)"
        << "\n"
        << R"(  {"clients": 8, "size": 64, "cpu_us_per_delivery": 80, "reader_bound": false, "correct": false, "errors": "x"},)"
        << "\n"
        << R"(  {"clients": 64, "size": 64, "cpu_us_per_delivery": 4.5, "reader_bound": false, "correct": true, "errors": ""})"
        << "\n]\n";
    const auto medians = read_floor_medians(file);
    ASSERT_EQ(medians.size(), 2U);
    EXPECT_DOUBLE_EQ(medians.at(8), 6);
    EXPECT_DOUBLE_EQ(medians.at(64), 4.5);
}

TEST(Floor, AFileWithoutACorrectRunIsAnError)
{
    papaya::process::TempDir dir{"papaya-bench-floor"};
    const std::string file = (dir.path() / "runs.json").string();
    std::ofstream(file) << "[\n]\n";
    EXPECT_THROW(read_floor_medians(file), std::runtime_error);
    EXPECT_THROW(read_floor_medians(file + ".missing"), std::runtime_error);
}
