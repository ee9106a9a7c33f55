// Tests of a torn chat log (PROTOCOL.md section 7): cut_torn_tail
// (chatserver/lib/torn_tail.cpp) and ChatLogWriter::append, which calls it
// and undoes a write cut short (solutions/server/chat_log.cpp).
#include "papaya/chat_log.hpp"
#include "papaya/torn_tail.hpp"

#include "captured_stderr.hpp"
#include "papaya/harness/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

using papaya::ChatLogWriter;
using papaya::cut_torn_tail;
using papaya::harness::read_file;
using papaya::harness::TempDir;
using papaya::test::CapturedStderr;

TEST(TornTail, WholeOrEmptyLogIsLeftAlone)
{
    for (const std::string text : {"a: 1\nb: 2\n", ""}) {
        const TempDir dir;
        const std::string path = dir.write("chat.log", text);
        CapturedStderr captured;
        cut_torn_tail(path);
        EXPECT_EQ(captured.take(), "") << "log " << text;
        EXPECT_EQ(read_file(path), text);
    }
}

TEST(TornTail, StartUpCutsAfterTheLastNewlineAndLogsTheBytes)
{
    const TempDir dir;
    const std::string path = dir.write("chat.log", "a: one\nb: two\nc: partial-without-newline");
    CapturedStderr captured;
    cut_torn_tail(path);
    const std::string logged = captured.take();
    EXPECT_NE(logged.find("warning"), std::string::npos) << logged;
    EXPECT_NE(logged.find("26 bytes"), std::string::npos) << logged;
    EXPECT_EQ(read_file(path), "a: one\nb: two\n");
}

TEST(TornTail, NoNewlineAtAllLeavesAnEmptyLog)
{
    const TempDir dir;
    const std::string path = dir.write("chat.log", "partial");
    const CapturedStderr captured;
    cut_torn_tail(path);
    EXPECT_EQ(read_file(path), "");
}

TEST(TornTail, TornRecordLongerThanAReadBlock)
{
    const TempDir dir;
    const std::string whole = std::string(70000, 'w') + "\n";
    const std::string path = dir.write("chat.log", whole + std::string(200000, 'p'));
    const CapturedStderr captured;
    cut_torn_tail(path);
    EXPECT_EQ(read_file(path), whole);
}

TEST(TornTail, AppendCutsATornRecordFirst)
{
    const TempDir dir;
    const std::string path = dir.write("chat.log", "a: one\nb: two\nc: partial-without-newline");
    ChatLogWriter writer(path);
    // Written after the writer opened the log: what another process that
    // died mid-record leaves while the server runs.
    CapturedStderr captured;
    writer.append("d: after\n");
    EXPECT_NE(captured.take().find("26 bytes"), std::string::npos);
    EXPECT_EQ(read_file(path), "a: one\nb: two\nd: after\n");
}

TEST(TornTail, AppendToAWholeLogLogsNothing)
{
    const TempDir dir;
    const std::string path = dir.write("chat.log", "a: one\n");
    ChatLogWriter writer(path);
    CapturedStderr captured;
    writer.append("b: two\n");
    EXPECT_EQ(captured.take(), "");
    EXPECT_EQ(read_file(path), "a: one\nb: two\n");
}

// A full disk without root: RLIMIT_FSIZE, with SIGXFSZ ignored, cuts the
// write short and fails the next one with EFBIG. In a child process, so the
// limit and the disposition stay there.
TEST(TornTail, WriteCutShortLeavesNothingBehind)
{
    const TempDir dir;
    const std::string old = "a: one\nb: two\n";
    const std::string path = dir.write("chat.log", old);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int status = 10;
        try {
            ::signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{old.size() + 10, old.size() + 10};
            if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(11);
            ChatLogWriter writer(path);
            try {
                writer.append("c: a line longer than the ten bytes left\n");
                status = 12; // it did not fail
            } catch (const std::system_error& error) {
                status = error.code().value() == EFBIG ? 0 : 13;
            }
            // Checked before the next append, which would cut a piece left behind.
            if (status == 0 && read_file(path) != old) status = 15;
            if (status == 0) writer.append("d: fits\n");
        } catch (...) {
            status = 14;
        }
        ::_exit(status);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "the writer died of signal " << WTERMSIG(status);
    ASSERT_EQ(WEXITSTATUS(status), 0)
        << "10: setup, 11: setrlimit, 12: no error, 13: not EFBIG, 14: second append, 15: a piece left in the log";
    EXPECT_EQ(read_file(path), old + "d: fits\n");
}
