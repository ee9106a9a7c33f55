// Lab 4: the key compare takes the same time wherever the keys differ
// (PROTOCOL.md section 3, rule 4). Over TCP the difference (about 1 ns against
// 50 ns for a byte loop that stops at the first difference) drowns in
// microseconds of network noise, so this test times keys_equal itself: it
// builds the target's auth_privileges.cpp (its sources= folder, as lab 5's
// build check does) into a shared library, links compare_timing.cpp to it and
// compares the time of keys that differ in their first byte with keys that
// differ in their last. Only the ratio is judged, from the best of many
// repetitions of each, measured in turns.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <string>

#include "keyed_stage_test.hpp"
#include "papaya/grader/probe.hpp"

#if !defined(PAPAYA_LAB4_COMPARE_TIMING)
#error "PAPAYA_LAB4_COMPARE_TIMING must be defined (lab 4's CMakeLists)"
#endif

namespace papaya::lab4 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;

/// How many times longer the last-byte compare may take: a constant-time
/// compare measures 0.95 to 1.05 here, a byte loop that stops early 25 to 35.
constexpr double max_ratio = 1.5;

std::string fixed(double value, int decimals)
{
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << value;
    return text.str();
}

TEST_F(Lab4, KeyCompareTimeDoesNotDependOnWhereTheKeysDiffer)
{
    declare_points(2, "Look at every byte whatever the earlier ones were: OR together the XOR of each pair of bytes "
                      "and test the result once at the end. A loop that returns at the first difference (or "
                      "strncmp) tells an attacker, by its time, how many leading bytes were right "
                      "(auth_privileges.cpp: keys_equal).");
    const auto probe = grader::build_stage_probe("auth_privileges.cpp", PAPAYA_LAB4_COMPARE_TIMING, dir);
    if (!probe) return;
    step("run the probe: 31 times in turns, 20000 calls of keys_equal with keys that differ in their first byte, "
         "and 20000 with keys that differ in their last");
    const auto measured = grader::run_probe(*probe, settle(60s));
    ASSERT_TRUE(measured.ok) << "the probe failed:\n" << measured.output;
    double first = 0;
    double last = 0;
    std::istringstream(measured.output) >> first >> last;
    ASSERT_GT(first, 0) << "the probe printed no timing:\n" << measured.output;
    step("expect the best time with the last byte different to be at most " + fixed(max_ratio, 1) +
         " times the best with the first byte different (measured: " + fixed(last, 1) + " ns and " + fixed(first, 1) +
         " ns per call)");
    EXPECT_LE(last / first, max_ratio)
        << "keys_equal took " << fixed(last, 1) << " ns per call when the keys differ only in their last byte, and "
        << fixed(first, 1) << " ns when they differ in their first: " << fixed(last / first, 1)
        << " times as long. Its time tells how many leading bytes of a guess were right.";
}

} // namespace
} // namespace papaya::lab4
