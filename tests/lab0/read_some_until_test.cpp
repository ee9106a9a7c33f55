// Lab 0: read_some_until, which lab 0 writes and the stage 0 server never
// calls (lab 4's key handshake is its first user). The suite builds the
// target's connection_io.cpp with a probe (read_some_until_probe.cpp) and
// checks it in the lab that writes it: bytes waiting, nothing before the
// deadline, signals during the wait, bytes during the wait, end of file.
#include <gtest/gtest.h>

#include "lab0.hpp"
#include "papaya/grader/probe.hpp"

#if !defined(PAPAYA_LAB0_READ_UNTIL_PROBE)
#error "PAPAYA_LAB0_READ_UNTIL_PROBE must be defined (lab 0's CMakeLists)"
#endif

namespace papaya::lab0 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;

TEST_F(Lab0, ReadSomeUntilWaitsForBytesOrItsDeadline)
{
    declare_points(2, "read_some_until: poll(2) the descriptor with the time left until the deadline, computed again "
                      "after every wakeup; poll returning 0 or EINTR is no reason to stop before the deadline, and "
                      "once it is readable read_some does the rest (connection_io.cpp: read_some_until).");
    const harness::TempDir dir{"papaya-lab0"};
    const auto probe = grader::build_stage_probe("connection_io.cpp", PAPAYA_LAB0_READ_UNTIL_PROBE, dir);
    if (!probe) return;
    step("run the probe (within " + std::to_string(settle(20s).count()) +
         " ms): 5 bytes waiting; nothing for 300 ms; "
         "SIGALRM every 50 ms during a 400 ms wait; 4 bytes 100 ms into a wait; the peer closing");
    const auto run = grader::run_probe(*probe, settle(20s));
    EXPECT_TRUE(run.ok) << "read_some_until:\n" << run.output;
}

} // namespace
} // namespace papaya::lab0
