#include "papaya/service_log.hpp"

#include "captured_stderr.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <unistd.h>

using papaya::log_message;
using papaya::LogLevel;

namespace {

// Every test runs with its own program name, and restores the default.
class ServiceLog : public testing::Test {
protected:
    ServiceLog() { papaya::set_log_program_name("unit"); }
    ~ServiceLog() override { papaya::set_log_program_name("papayad"); }

    static std::string prefix() { return "unit[" + std::to_string(::getpid()) + "]: "; }
};

} // namespace

TEST_F(ServiceLog, InfoLine)
{
    papaya::test::CapturedStderr captured;
    log_message(LogLevel::info, "listening");
    EXPECT_EQ(captured.take(), prefix() + "info: listening\n");
}

TEST_F(ServiceLog, WarningLine)
{
    papaya::test::CapturedStderr captured;
    log_message(LogLevel::warning, "wrong key from 127.0.0.1");
    EXPECT_EQ(captured.take(), prefix() + "warning: wrong key from 127.0.0.1\n");
}

TEST_F(ServiceLog, ErrorLine)
{
    papaya::test::CapturedStderr captured;
    log_message(LogLevel::error, "bind: Address already in use");
    EXPECT_EQ(captured.take(), prefix() + "error: bind: Address already in use\n");
}

TEST_F(ServiceLog, OneMessageIsOneLine)
{
    papaya::test::CapturedStderr captured;
    log_message(LogLevel::info, "two\nlines\r");
    EXPECT_EQ(captured.take(), prefix() + "info: two lines \n");
}

TEST_F(ServiceLog, LeavesErrnoAlone)
{
    papaya::test::CapturedStderr captured;
    errno = EACCES;
    log_message(LogLevel::error, "open: Permission denied");
    EXPECT_EQ(errno, EACCES);
    captured.take();
}
