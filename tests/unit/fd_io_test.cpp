// Tests of given code's reads and writes (chatserver/lib/fd_io.cpp) and of
// the one way a failed call is reported (papaya/syscall_error.hpp).
#include "papaya/fd_io.hpp"

#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"
#include "thrown.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using papaya::UniqueFd;

namespace {

struct Ends {
    UniqueFd read;
    UniqueFd write;
};

Ends make_pipe()
{
    int fds[2];
    papaya::check_syscall(::pipe2(fds, O_CLOEXEC), "pipe2");
    return Ends{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Ends make_socketpair()
{
    int fds[2];
    papaya::check_syscall(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), "socketpair");
    return Ends{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

/// Everything @p fd delivers until end of stream, read with io::read_some.
std::string read_to_end(int fd)
{
    std::string all;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = papaya::io::read_some(fd, buffer)) all.append(buffer.data(), n);
    return all;
}

} // namespace

TEST(SyscallError, NamesTheCallAndWhatItWasCalledOnAndKeepsErrno)
{
    errno = ENOENT;
    const std::system_error error = papaya::syscall_error("open", "/no/such/file");
    EXPECT_EQ(error.code(), std::errc::no_such_file_or_directory);
    EXPECT_EQ(std::string(error.what()), "open /no/such/file: " + std::generic_category().message(ENOENT));
}

TEST(SyscallError, CheckSyscallThrowsOnlyForMinusOne)
{
    EXPECT_EQ(papaya::check_syscall(0, "close"), 0);
    errno = EBADF;
    const auto error = papaya::test::thrown<std::system_error>([] { papaya::check_syscall(-1, "close", "fd 99"); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), std::errc::bad_file_descriptor);
    EXPECT_EQ(std::string(error->what()).rfind("close fd 99: ", 0), 0u) << error->what();
}

// A pipe is not a socket: send(2) fails with ENOTSOCK there, and the
// client's stdout and the service log's stderr are often pipes.
TEST(FdIo, WriteAllWritesEveryByteToAPipe)
{
    Ends pipe = make_pipe();
    std::string data(1 << 20, '\0'); // far more than a pipe holds: many short writes
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 % 251);
    std::string received;
    std::thread reader([&] { received = read_to_end(pipe.read.get()); });
    bool written = false;
    try {
        written = papaya::io::write_all(pipe.write.get(), data);
    } catch (const std::system_error& error) {
        ADD_FAILURE() << error.what();
    }
    pipe.write.reset(); // the reader's end of stream, whatever happened
    reader.join();
    EXPECT_TRUE(written);
    EXPECT_TRUE(received == data) << "received " << received.size() << " of " << data.size() << " bytes";
}

// SIGPIPE keeps its default action in this test program: a write that raised
// it would end the whole run here.
TEST(FdIo, WriteAllToASocketWhosePeerIsGoneReturnsFalse)
{
    Ends pair = make_socketpair();
    pair.read.reset();
    EXPECT_FALSE(papaya::io::write_all(pair.write.get(), "hello\n"));
    EXPECT_EQ(papaya::io::try_write_all(pair.write.get(), "hello\n"), EPIPE);
}

TEST(FdIo, WriteAllThrowsNamingTheCallForOtherErrors)
{
    Ends pipe = make_pipe();
    // The read end: EBADF.
    const auto error = papaya::test::thrown<std::system_error>([&] { papaya::io::write_all(pipe.read.get(), "x"); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), std::errc::bad_file_descriptor);
    EXPECT_EQ(std::string(error->what()).rfind("write: ", 0), 0u) << error->what();
}

TEST(FdIo, ReadSomeReturnsWhatArrivedThenZeroAtEndOfStream)
{
    Ends pair = make_socketpair();
    ASSERT_TRUE(papaya::io::write_all(pair.write.get(), "abc"));
    pair.write.reset();
    EXPECT_EQ(read_to_end(pair.read.get()), "abc");
}
