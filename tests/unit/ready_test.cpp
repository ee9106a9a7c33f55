#include "papaya/ready.hpp"

#include "captured_stderr.hpp"

#include <gtest/gtest.h>

#include <string>
#include <unistd.h>

TEST(Ready, PrintsPortAndPidOnStderr)
{
    papaya::test::CapturedStderr captured;
    papaya::announce_ready(43210);
    EXPECT_EQ(captured.take(), "READY port=43210 pid=" + std::to_string(::getpid()) + "\n");
}

TEST(Ready, PortZeroIsPrintedAsIs)
{
    papaya::test::CapturedStderr captured;
    papaya::announce_ready(0);
    EXPECT_EQ(captured.take(), "READY port=0 pid=" + std::to_string(::getpid()) + "\n");
}
