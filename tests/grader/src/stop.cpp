#include "papaya/grader/stop.hpp"

#include <csignal>
#include <string>

#include <gtest/gtest.h>

#include "papaya/grader/record.hpp"
#include "papaya/grader/settings.hpp"
#include "papaya/harness/deadline.hpp"

namespace papaya::grader {

using namespace std::chrono_literals;

void expect_clean_stop(harness::ServerProcess& server, std::span<harness::Client> clients)
{
    step("send SIGTERM to the server (pid " + std::to_string(server.pid()) +
         "); expect every process of it gone "
         "within " +
         std::to_string(settle(2s).count()) + " ms and exit status 0" +
         (clients.empty() ? std::string() : ", every client closed"));
    const harness::Deadline deadline{settle(2s)};
    server.send_signal(SIGTERM);
    server.expect_no_processes_left(deadline);
    const auto status = server.wait_exit(harness::Deadline{settle(100ms)});
    ASSERT_TRUE(status.has_value()) << "the server did not end";
    EXPECT_TRUE(status->success()) << "the server ended with " << status->describe()
                                   << " (PROTOCOL.md section 11: SIGTERM is a clean stop, exit status 0)";
    for (auto& client : clients) client.expect_closed_within(deadline.remaining() + settle(100ms), true);
}

} // namespace papaya::grader
