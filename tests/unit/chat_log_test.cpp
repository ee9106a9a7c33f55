// Tests of the chat log (solutions/server/chat_log.cpp).
#include "papaya/chat_log.hpp"

#include "papaya/harness/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <vector>

using papaya::ChatLogReader;
using papaya::ChatLogWriter;
using papaya::harness::read_file;
using papaya::harness::TempDir;

namespace {

constexpr std::size_t kib = 1024;

// The offset where the last @p lines complete lines of @p log begin: the
// obvious, slow way, to compare the real one with.
std::uint64_t expected_tail(const std::string& log, unsigned lines)
{
    const auto complete_end = log.rfind('\n');
    if (complete_end == std::string::npos) return 0;
    std::uint64_t offset = complete_end + 1;
    for (unsigned n = 0; n < lines; ++n) {
        if (offset == 0) break;
        const auto previous = offset >= 2 ? log.rfind('\n', offset - 2) : std::string::npos;
        offset = previous == std::string::npos ? 0 : previous + 1;
    }
    return offset;
}

// Sets the umask while it lives, so a file's creation mode can be checked.
class ScopedUmask {
public:
    explicit ScopedUmask(mode_t mask) : saved_(::umask(mask)) {}
    ~ScopedUmask() { ::umask(saved_); }
    ScopedUmask(const ScopedUmask&) = delete;
    ScopedUmask& operator=(const ScopedUmask&) = delete;

private:
    mode_t saved_;
};

} // namespace

TEST(ChatLogTail, ZeroLinesIsTheEnd)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "a: 1\nb: 2\n"));
    EXPECT_EQ(reader.tail_offset(0), 10U);
}

TEST(ChatLogTail, ZeroLinesStopsBeforeAPartialLine)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "a: 1\nb: 2\nc: unfini"));
    EXPECT_EQ(reader.tail_offset(0), 10U);
}

TEST(ChatLogTail, CountsCompleteLines)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "one\ntwo\nthree\n"));
    EXPECT_EQ(reader.tail_offset(1), 8U);
    EXPECT_EQ(reader.tail_offset(2), 4U);
    EXPECT_EQ(reader.tail_offset(3), 0U);
}

TEST(ChatLogTail, FewerLinesThanAsked)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "one\ntwo\nthree\n"));
    EXPECT_EQ(reader.tail_offset(7), 0U);
}

TEST(ChatLogTail, EmptyLog)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", ""));
    EXPECT_EQ(reader.tail_offset(0), 0U);
    EXPECT_EQ(reader.tail_offset(7), 0U);
}

TEST(ChatLogTail, PartialLastLineIsNotCounted)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "a\nb\nc"));
    EXPECT_EQ(reader.tail_offset(1), 2U);
    EXPECT_EQ(reader.tail_offset(2), 0U);
}

TEST(ChatLogTail, OnlyAPartialLine)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "no newline yet"));
    EXPECT_EQ(reader.tail_offset(1), 0U);
}

TEST(ChatLogTail, LongLinesNeverStartMidLine)
{
    const TempDir dir;
    const std::string line(100 * kib, 'x');
    const std::string log = line + "\n" + line + "\n" + line + "\n";
    ChatLogReader reader(dir.write("chat.log", log));
    EXPECT_EQ(reader.tail_offset(1), 2 * (100 * kib + 1));
    EXPECT_EQ(reader.tail_offset(2), 100 * kib + 1);
    EXPECT_EQ(reader.tail_offset(3), 0U);
    EXPECT_EQ(reader.tail_offset(4), 0U);
}

TEST(ChatLogTail, LongPartialLineIsSkipped)
{
    const TempDir dir;
    const std::string log = "a\nb\n" + std::string(100 * kib, 'p');
    ChatLogReader reader(dir.write("chat.log", log));
    EXPECT_EQ(reader.tail_offset(0), 4U);
    EXPECT_EQ(reader.tail_offset(1), 2U);
}

TEST(ChatLogTail, MixedLengthsMatchTheObviousAnswer)
{
    const TempDir dir;
    std::string log;
    // Lengths around typical buffer sizes (and a few empty-ish ones).
    for (const std::size_t length : {1U, 4095U, 4096U, 4097U, 2U, 65535U, 65536U, 65537U, 3U, 131072U, 1U, 8191U}) {
        log += std::string(length, static_cast<char>('a' + log.size() % 26)) + "\n";
    }
    log += std::string(5000, 'z'); // A partial last line.
    ChatLogReader reader(dir.write("chat.log", log));
    for (unsigned lines = 0; lines <= 13; ++lines) {
        EXPECT_EQ(reader.tail_offset(lines), expected_tail(log, lines)) << lines << " lines";
    }
}

TEST(ChatLogRead, ReturnsOnlyWholeLines)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "a\nb\nc"));
    std::string out;
    EXPECT_EQ(reader.read_lines_from(0, out), 4U);
    EXPECT_EQ(out, "a\nb\n");
}

TEST(ChatLogRead, AppendsToOut)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "a\n"));
    std::string out = "before:";
    reader.read_lines_from(0, out);
    EXPECT_EQ(out, "before:a\n");
}

TEST(ChatLogRead, FromTheMiddle)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "a\nb\nc\n"));
    std::string out;
    EXPECT_EQ(reader.read_lines_from(2, out), 6U);
    EXPECT_EQ(out, "b\nc\n");
}

TEST(ChatLogRead, AtTheEndReadsNothing)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "a\nb\n"));
    std::string out;
    EXPECT_EQ(reader.read_lines_from(4, out), 4U);
    EXPECT_EQ(out, "");
}

TEST(ChatLogRead, OnlyAPartialLineReadsNothing)
{
    const TempDir dir;
    ChatLogReader reader(dir.write("chat.log", "a\nb\npart"));
    std::string out;
    EXPECT_EQ(reader.read_lines_from(4, out), 4U);
    EXPECT_EQ(out, "");
}

TEST(ChatLogRead, LargeLogIsReadInWholeLines)
{
    const TempDir dir;
    std::string log;
    for (int i = 0; i < 300; ++i) log += std::string(5000, static_cast<char>('a' + i % 26)) + "\n";
    ChatLogReader reader(dir.write("chat.log", log));
    // A reader may hand over a long backlog in several calls, each of whole lines.
    std::string all;
    std::uint64_t offset = 0;
    for (int calls = 0; offset < log.size() && calls < 1000; ++calls) {
        std::string out;
        const std::uint64_t next = reader.read_lines_from(offset, out);
        ASSERT_GT(next, offset) << "no progress at offset " << offset;
        ASSERT_EQ(out.size(), next - offset);
        ASSERT_EQ(out.back(), '\n');
        all += out;
        offset = next;
    }
    EXPECT_EQ(offset, log.size());
    EXPECT_TRUE(all == log) << "read " << all.size() << " bytes that differ from the " << log.size() << " of the log";
}

TEST(ChatLogRead, LongPartialLineIsHeldBackUntilComplete)
{
    const TempDir dir;
    const std::string partial(100 * kib, 'p');
    const std::string path = dir.write("chat.log", "a\n" + partial);
    ChatLogReader reader(path);
    std::string out;
    EXPECT_EQ(reader.read_lines_from(0, out), 2U);
    EXPECT_EQ(out, "a\n");

    dir.write("chat.log", "a\n" + partial + "\n"); // The same file, completed (O_TRUNC keeps the inode).
    out.clear();
    EXPECT_EQ(reader.read_lines_from(2, out), 2 + partial.size() + 1);
    EXPECT_TRUE(out == partial + "\n") << "read " << out.size() << " bytes";
}

TEST(ChatLogRead, SeesRecordsAppendedAfterOpening)
{
    const TempDir dir;
    const std::string path = dir.file("chat.log");
    ChatLogWriter writer(path);
    ChatLogReader reader(path);
    writer.append("a: 1\n");
    std::string out;
    const auto offset = reader.read_lines_from(0, out);
    writer.append("b: 2\n");
    EXPECT_EQ(reader.read_lines_from(offset, out), 10U);
    EXPECT_EQ(out, "a: 1\nb: 2\n");
}

TEST(ChatLogRead, MissingFileThrows)
{
    const TempDir dir;
    EXPECT_THROW(ChatLogReader(dir.file("missing.log")), std::system_error);
}

TEST(ChatLogWrite, AppendsRecords)
{
    const TempDir dir;
    const std::string path = dir.file("chat.log");
    ChatLogWriter writer(path);
    writer.append("alice: hi\n");
    writer.append("bob: yo\n");
    EXPECT_EQ(read_file(path), "alice: hi\nbob: yo\n");
}

TEST(ChatLogWrite, KeepsWhatIsThere)
{
    const TempDir dir;
    const std::string path = dir.write("chat.log", "old\n");
    ChatLogWriter(path).append("new\n");
    EXPECT_EQ(read_file(path), "old\nnew\n");
}

TEST(ChatLogWrite, CreatesMissingLogWithMode0640)
{
    const TempDir dir;
    const ScopedUmask umask(022);
    const std::string path = dir.file("chat.log");
    const ChatLogWriter writer(path);
    struct stat status {};
    ASSERT_EQ(::stat(path.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0640U);
}

TEST(ChatLogWrite, MissingDirectoryThrows)
{
    const TempDir dir;
    EXPECT_THROW(ChatLogWriter(dir.file("no-such-dir/chat.log")), std::system_error);
}

TEST(ChatLogWrite, ConcurrentWritersAppendWholeRecords)
{
    const TempDir dir;
    const std::string path = dir.file("chat.log");
    constexpr int writers = 4;
    constexpr int records = 100;
    const std::size_t record_size = 8 * kib;

    std::vector<pid_t> children;
    for (int w = 0; w < writers; ++w) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            // Each writer process opens the log itself, as RECV processes do.
            int status = 0;
            try {
                ChatLogWriter writer(path);
                const std::string record = std::string(record_size - 1, static_cast<char>('a' + w)) + "\n";
                for (int r = 0; r < records; ++r) writer.append(record);
            } catch (...) {
                status = 1;
            }
            ::_exit(status);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }

    const std::string log = read_file(path);
    ASSERT_EQ(log.size(), writers * records * record_size);
    for (std::size_t start = 0; start < log.size(); start += record_size) {
        const std::string record = log.substr(start, record_size);
        ASSERT_TRUE(record == std::string(record_size - 1, record.front()) + "\n") << "record at offset " << start;
    }
}
