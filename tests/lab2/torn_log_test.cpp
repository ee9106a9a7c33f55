// Lab 2: a record always starts at a line boundary (PROTOCOL.md section 7).
// A writer killed in the middle of its write(2), or one whose disk filled up,
// leaves part of a record after the log's last \n. Readers never send it
// (they stop at the last \n), but an append that does not look glues the next
// record to it, and every client receives one corrupt line.
#include <gtest/gtest.h>

#include <string>

#include "chat_helpers.hpp"
#include "lab2.hpp"
#include "papaya/grader/grader.hpp"

namespace papaya::lab2 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using integration::unique_line;

/// A log of @p count unique whole lines, and its bytes.
std::string whole_lines(std::size_t count)
{
    std::string text;
    for (std::size_t i = 0; i < count; ++i) text += unique_line("old") + "\n";
    return text;
}

/// Polls the chat log until it ends with @p suffix; returns its text then (or at the deadline).
std::string log_once_it_ends_with(const std::filesystem::path& log, std::string_view suffix,
                                  std::chrono::milliseconds within)
{
    std::string text;
    harness::poll_until([&] { return (text = harness::read_file(log)).ends_with(suffix); },
                        harness::Deadline{settle(within)});
    return text;
}

TEST_F(Lab2, TornLastRecordIsCutOffNotGlued)
{
    declare_points(2, "A record always starts at a line boundary: in append, under LOCK_EX and before the write, "
                      "cut off whatever follows the log's last \\n (cut_torn_tail in torn_tail.hpp does it and "
                      "returns where the record goes). A writer killed mid-write leaves such a fragment, and a "
                      "record appended after it becomes one corrupt line for everyone (PROTOCOL.md section 7).");
    const harness::TempDir dir{"papaya-lab2"};
    const auto log = dir.file("chat.log");
    const std::string old = whole_lines(3);
    step("write a log of 3 whole lines");
    harness::write_file(log, old);
    start_server({"--log", log.string()});
    const std::string torn = unique_line("torn-record-without-newline");
    step("append " + std::to_string(torn.size()) +
         " bytes without \\n under LOCK_EX, as a writer killed in the "
         "middle of its write(2) leaves them");
    integration::append_torn_record(log, torn);
    auto client = connect("client A");
    const std::string line = unique_line("after");
    step("client A sends " + harness::printable(line, 60) + " (after its history)");
    client.read_exact(old.size(), settle(5s), "the history");
    client.send(line + "\n");
    step("expect the log to be the 3 lines, then client A's line, the fragment gone, within " +
         std::to_string(settle(5s).count()) + " ms");
    if (!grader::expect_bytes(old + line + "\n", log_once_it_ends_with(log, line + "\n", 5s), "the chat log")) return;
    auto other = connect("client B");
    step("expect client B's history to be those 4 whole lines");
    grader::expect_bytes(old + line + "\n", other.read_exact(old.size() + line.size() + 1, settle(5s), "the history"),
                         "the history");
}

TEST_F(Lab2, FullDiskLeavesNoPartialRecord)
{
    declare_points(2, "When write(2) fails after part of the record is in the file (a full disk: ENOSPC, or EFBIG "
                      "past RLIMIT_FSIZE), ftruncate the log back to its size before this append, still under "
                      "LOCK_EX, then throw: the log holds the whole record or none of it. That client's session "
                      "ends; the others keep chatting (PROTOCOL.md section 7).");
    const harness::TempDir dir{"papaya-lab2"};
    const auto log = dir.file("chat.log");
    const std::string old = whole_lines(3);
    constexpr std::size_t room = 100;
    step("write a log of 3 whole lines (" + std::to_string(old.size()) + " bytes)");
    harness::write_file(log, old);
    harness::LaunchOptions options;
    options.file_size_limit = old.size() + room;
    start_server({"--log", log.string(), "--history", "0"}, options);
    auto writer = connect("client A");
    auto other = connect("client B");
    const std::string too_long = unique_line("does-not-fit", 3 * room);
    step("client A sends a line of " + std::to_string(too_long.size()) + " bytes: only " + std::to_string(room) +
         " fit, so the write is cut short and the next one fails");
    writer.send(too_long + "\n");
    step("expect the server to close client A's connection within " + std::to_string(settle(5s).count()) + " ms");
    writer.expect_closed_within(settle(5s));
    step("expect the log to be the 3 lines only, byte for byte: no piece of client A's line");
    if (!grader::expect_bytes(old, harness::read_file(log), "the chat log")) return;
    const std::string fits = unique_line("fits");
    step("client B sends a line of " + std::to_string(fits.size() + 1) + " bytes, which fits");
    other.send(fits + "\n");
    step("expect the log to be the 3 lines, then client B's line, within " + std::to_string(settle(5s).count()) +
         " ms");
    grader::expect_bytes(old + fits + "\n", log_once_it_ends_with(log, fits + "\n", 5s), "the chat log");
}

} // namespace
} // namespace papaya::lab2
