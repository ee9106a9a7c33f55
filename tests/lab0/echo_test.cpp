// Lab 0: blocking echo (PROTOCOL.md section 2, echo stages). The server is
// started with --stage 0; every test is one behaviour, worth its points.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <array>
#include <poll.h>
#include <span>

#include "lab0.hpp"
#include "papaya/grader/grader.hpp"
#include "papaya/grader/stop.hpp"

namespace papaya::lab0 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;

constexpr std::span<const std::size_t> whole{}; // one send of everything

TEST_F(Lab0, EchoesOneByte)
{
    declare_points(1, "Read from the client's socket and write back exactly the bytes read(2) gave you "
                      "(connection_io.cpp: echo_until_eof).");
    start_server();
    auto client = connect("a client");
    const std::array<std::size_t, 1> one{1};
    grader::expect_echo(client, "Z", one, "one byte \"Z\"");
}

TEST_F(Lab0, EchoesLines)
{
    declare_points(1, "Echo every byte, newlines and \\r included, in order: the echo knows nothing about lines.");
    start_server();
    auto client = connect("a client");
    const std::string lines = "hello\nsecond line, with spaces\r\n\nutf-8: \xc3\xa9t\xc3\xa9\n";
    const std::array<std::size_t, 4> sizes{6, 25, 1, 11};
    grader::expect_echo(client, lines, sizes, "four lines, one send each");
}

TEST_F(Lab0, EchoesOneMiBOfBinaryInOddChunks)
{
    declare_points(3, "Binary data holds zero bytes: write back the count read(2) returned, never strlen(). "
                      "write(2) may take fewer bytes than you give it: loop until all are written (write_all).");
    start_server();
    auto client = connect("a client");
    auto rng = grader::test_rng();
    const std::string data = grader::random_bytes(rng, 1 << 20);
    const std::array<std::size_t, 6> sizes{997, 1, 4093, 7, 65521, 13};
    grader::expect_echo(client, data, sizes, "1 MiB of random bytes (zero bytes included)");
}

TEST_F(Lab0, HalfCloseGetsTheRestThenClose)
{
    declare_points(2, "When read(2) returns 0 the client has finished sending: write what is left, then "
                      "shutdown(fd, SHUT_WR) and close the connection.");
    start_server();
    auto client = connect("a client");
    const std::string data = "a line\nand the end, without a newline";
    step("send " + std::to_string(data.size()) + " bytes, then shutdown(SHUT_WR): end of stream, we still read");
    client.send(data);
    client.shutdown_write();
    step("read until the server closes the connection (up to " + std::to_string(settle(5s).count()) + " ms)");
    std::string received;
    const bool closed = client.read_until_closed(harness::Deadline{settle(5s)}, &received);
    grader::expect_bytes(data, received, "the echo before the close");
    if (!closed)
        ADD_FAILURE() << "the server did not close the connection within " << settle(5s).count()
                      << " ms after our end of stream";
}

TEST_F(Lab0, SurvivesAClientLeavingMidTransfer)
{
    declare_points(2, "A client that vanishes makes write(2) fail with EPIPE or ECONNRESET, and raises SIGPIPE "
                      "unless you send with MSG_NOSIGNAL: end that client's session, not the server.");
    start_server();
    {
        auto leaving = connect("client A");
        step("client A sends without reading until the server's and our buffers are full, then closes "
             "(unread data: the close resets the connection)");
        auto rng = grader::test_rng();
        const std::string block = grader::random_bytes(rng, 64 * 1024);
        std::size_t total = 0;
        for (;;) {
            pollfd p{.fd = leaving.fd(), .events = POLLOUT, .revents = 0};
            // No room for 200 ms while the server is blocked writing to us: the buffers are full.
            if (::poll(&p, 1, 200) <= 0 || total > (std::size_t{64} << 20)) break;
            total += leaving.send_available(block);
        }
        step("client A sent " + std::to_string(total) + " bytes and closes");
    }
    auto next = connect("client B");
    grader::expect_echo(next, "still there?\n", whole, "one line from client B");
    const auto stat = harness::read_proc_stat(server().pid());
    if (!stat || stat->state == 'Z') ADD_FAILURE() << "the server process " << server().pid() << " is gone";
}

TEST_F(Lab0, ServesTheNextClientAfterTheFirstLeaves)
{
    declare_points(1, "After a client's session ends, close its socket and go back to accept(2) for the next one.");
    start_server();
    {
        auto first = connect("client A");
        grader::expect_echo(first, "first\n", whole, "one line from client A");
        step("client A closes");
    }
    auto second = connect("client B");
    grader::expect_echo(second, "second\n", whole, "one line from client B");
}

TEST_F(Lab0, SigtermWhileWaitingForAClientExitsZero)
{
    declare_points(2, "SIGTERM's default action kills the server (status 143, \"signal 15\"): catch it with a handler "
                      "that only sets a flag, keep it blocked except while you wait in ppoll(2), and leave the accept "
                      "loop when the flag is set, then return from main with 0. A handler with SA_RESTART, or a "
                      "blocking accept(2), never sees the flag.");
    start_server();
    auto client = connect("a client");
    grader::expect_echo(client, "before the stop\n", whole, "one line");
    step("the client ends its stream; wait until the server has closed the connection and sleeps again "
         "(state S in /proc/" +
         std::to_string(server().pid()) + "/stat), waiting for the next client");
    client.shutdown_write();
    if (!client.read_until_closed(harness::Deadline{settle(5s)})) FAIL() << "the server did not close the connection";
    // Between its close and its next wait the server never sleeps: once it
    // does, SIGTERM finds it waiting for a client, not still serving this one.
    harness::poll_until(
        [&] {
            const auto stat = harness::read_proc_stat(server().pid());
            return !stat || stat->state == 'S';
        },
        harness::Deadline{settle(2s)});
    grader::expect_clean_stop(server());
}

TEST_F(Lab0, SigtermWhileServingAClientExitsZero)
{
    declare_points(1, "A client that stays connected must not delay the stop: while serving it, SIGTERM must end the "
                      "server at once (in lab 0 nothing needs cleaning up but the client's socket), with status 0.");
    start_server();
    auto client = connect("a client, which stays connected");
    grader::expect_echo(client, "still here\n", whole, "one line");
    grader::expect_clean_stop(server(), {&client, 1});
}

} // namespace
} // namespace papaya::lab0
