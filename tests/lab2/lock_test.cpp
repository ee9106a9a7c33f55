// Lab 2: the chat log's lock (PROTOCOL.md section 7). O_APPEND alone already
// keeps one process's records whole, so a server without flock(2) passes
// every test of what it writes; these tests take the lock themselves, as
// another writer or an administrator's `flock --shared cp` would, and check
// from /proc/locks that the server waits for it.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <string>

#include "chat_helpers.hpp"
#include "lab2.hpp"
#include "papaya/grader/grader.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::lab2 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using integration::unique_line;

/// flock(LOCK_EX) on a file, held by the test process until release().
class ExclusiveLock {
public:
    explicit ExclusiveLock(const std::filesystem::path& file) : fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC))
    {
        if (!fd_) throw_syscall_error("open");
        if (::flock(fd_.get(), LOCK_EX) != 0) throw_syscall_error("flock");
    }
    void release() { fd_.reset(); } // closing the only descriptor drops the lock

private:
    UniqueFd fd_;
};

/// A chat log of one record, written (as a numbered step) before the server starts.
struct OneRecordLog {
    OneRecordLog()
    {
        step("write a log of one record");
        harness::write_file(path, record + "\n");
    }
    harness::TempDir dir{"papaya-lab2"};
    std::filesystem::path path = dir.file("chat.log");
    std::string record = unique_line("old");
};

std::uintmax_t size_of(const std::filesystem::path& file) { return std::filesystem::file_size(file); }

/// What the server did while the test held LOCK_EX on the log.
struct UnderLock {
    bool waited = false;  ///< a server process waited in flock() for the kind of lock asked for
    bool went_on = false; ///< it did what the lock should have stopped
};

/// Polls until a server process waits for a lock of the given kind on @p log,
/// or @p went_on says it went on without one.
UnderLock watch_under_lock(const std::filesystem::path& log, bool write, const std::function<bool()>& went_on)
{
    UnderLock seen;
    harness::poll_until(
        [&] {
            for (const auto& waiter : harness::flock_waiters(log)) seen.waited |= waiter.write == write;
            seen.went_on = went_on();
            return seen.waited || seen.went_on;
        },
        harness::Deadline{settle(5s)});
    return seen;
}

TEST_F(Lab2, AppendWaitsForAnotherWritersLock)
{
    declare_points(3, "Take flock(fd, LOCK_EX) on your own descriptor of the log before the write(2) of a record, "
                      "and release it after: O_APPEND places each write at the end, but only the lock keeps another "
                      "process that holds it (a second writer, an administrator's copy) from seeing a record half "
                      "written.");
    const OneRecordLog file;
    const auto& log = file.path;
    start_server({"--log", log.string()});
    auto client = connect("a client");
    client.read_line(settle(5s), "the history: the one record");
    // Once its first line is in the log, the client's process has done every
    // read of its history: the next lock it asks for is the append's.
    const std::string first = unique_line("first");
    step("the client sends a line; wait until the log holds it");
    client.send(first + "\n");
    if (!harness::poll_until([&] { return harness::read_file(log).find(first + "\n") != std::string::npos; },
                             harness::Deadline{settle(5s)}))
        FAIL() << "the line did not reach the log within " << settle(5s).count() << " ms";
    step("another process takes flock(LOCK_EX) on the chat log");
    ExclusiveLock lock{log};
    const auto size = size_of(log);
    const std::string line = unique_line("under-lock");
    step("the client sends another line; expect a server process to wait in flock() for LOCK_EX (seen in /proc/locks), "
         "the log unchanged, within " +
         std::to_string(settle(5s).count()) + " ms");
    client.send(line + "\n");
    const auto seen = watch_under_lock(log, true, [&] { return size_of(log) != size; });
    if (seen.went_on)
        FAIL() << "the log grew from " << size << " to " << size_of(log)
               << " bytes while another process held LOCK_EX on it: the record was written without flock(LOCK_EX)";
    if (!seen.waited)
        FAIL() << "within " << settle(5s).count() << " ms the server neither appended the line nor waited for "
               << "LOCK_EX on the log (no waiting flock request in /proc/locks)";
    step("release the lock; expect the line in the log within " + std::to_string(settle(5s).count()) + " ms");
    lock.release();
    EXPECT_TRUE(harness::poll_until([&] { return harness::read_file(log).find(line + "\n") != std::string::npos; },
                                    harness::Deadline{settle(5s)}))
        << "the line did not reach the log after the lock was released";
}

TEST_F(Lab2, HistoryWaitsForAnotherWritersLock)
{
    declare_points(2, "Read the log under flock(fd, LOCK_SH): a writer that holds LOCK_EX may be half-way through a "
                      "record, and only the shared lock makes the reader wait until it is whole.");
    const OneRecordLog file;
    const auto& log = file.path;
    start_server({"--log", log.string()});
    step("another process takes flock(LOCK_EX) on the chat log");
    ExclusiveLock lock{log};
    auto client = connect("a client");
    step("expect a server process to wait in flock() for LOCK_SH (seen in /proc/locks) before sending any history, "
         "within " +
         std::to_string(settle(5s).count()) + " ms");
    const auto seen = watch_under_lock(log, false, [&] {
        client.receive_available();
        return !client.buffered().empty();
    });
    if (seen.went_on)
        FAIL() << "the client received " << client.buffered().size()
               << " bytes of history while another process held LOCK_EX on the log: the log was read without "
                  "flock(LOCK_SH)";
    if (!seen.waited)
        FAIL() << "within " << settle(5s).count() << " ms the server neither sent the history nor waited for "
               << "LOCK_SH on the log (no waiting flock request in /proc/locks)";
    step("release the lock; expect the history: the one record");
    lock.release();
    EXPECT_EQ(client.read_line(settle(5s), "the history: the one record"), file.record);
}

} // namespace
} // namespace papaya::lab2
