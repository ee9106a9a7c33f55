// A torn chat log (PROTOCOL.md section 7): a record always starts at a line
// boundary. Bytes after the last \n (a writer that died mid-record, a hand
// edit) are cut off, at start-up and when an append finds them, and logged;
// a write cut short by a full file system leaves nothing behind, and only
// the client whose line could not be stored loses its connection.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "chat_helpers.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

/// Waits until the server's service log (stderr) contains @p needle, ignoring case.
void expect_service_log(ServerProcess& server, std::string needle)
{
    const auto lower = [](std::string text) {
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
        return text;
    };
    needle = lower(needle);
    std::string text;
    if (!harness::poll_until([&] { return (text = lower(server.stderr_text())).find(needle) != std::string::npos; },
                             Deadline{5s}))
        ADD_FAILURE() << "the service log does not mention " << harness::printable(needle)
                      << "; it holds: " << harness::printable(server.stderr_text(), 400);
}

/// The case: "a: one\nb: two\nc: partial-without-newline", then a client sends "d: after".
TEST(TornLog, CutAtStartUpAndLogged)
{
    const std::string whole = "a: one\nb: two\n";
    const std::string torn = "c: partial-without-newline";
    const TempDir dir;
    harness::write_file(dir.file("chat.log"), whole + torn);
    ServerProcess server{{"--log", dir.file("chat.log").string()}};
    EXPECT_EQ(harness::read_file(server.log_path()), whole) << "the torn record is still there after start-up";
    expect_service_log(server, std::to_string(torn.size()) + " bytes");

    Client reader{server.port()};
    EXPECT_EQ(reader.read_exact(whole.size(), 5s, "the history"), whole);
    Client sender{server.port()};
    EXPECT_EQ(sender.read_exact(whole.size(), 5s, "the history"), whole);
    sender.send("d: after\n");
    for (Client* client : {&reader, &sender}) EXPECT_EQ(client->read_line(5s, "d: after"), "d: after");
    EXPECT_EQ(harness::read_file(server.log_path()), whole + "d: after\n");
}

TEST(TornLog, CutWhenAnAppendFindsIt)
{
    ServerProcess server;
    Client reader = join(server.port());
    Client sender = join(server.port());
    sync(sender, {&reader, &sender});
    const std::string before = harness::read_file(server.log_path());
    const std::string torn = unique_line("torn-without-newline");
    append_torn_record(server.log_path(), torn); // another writer died mid-record while the server runs
    const std::string line = unique_line("after");
    sender.send(line + "\n");
    for (Client* client : {&reader, &sender}) {
        const std::string got = client->read_line(5s, line);
        EXPECT_EQ(got, line) << "a record glued to the torn one?";
    }
    EXPECT_EQ(harness::read_file(server.log_path()), before + line + "\n");
    expect_service_log(server, std::to_string(torn.size()) + " bytes");
}

/// A full file system without root: RLIMIT_FSIZE on the server, so a write
/// past the limit is cut short and the next one fails with EFBIG.
TEST(TornLog, FullFileSystemLeavesNoPartialRecordAndOthersKeepChatting)
{
    constexpr std::size_t room = 2000;
    const TempDir dir;
    const std::string old = unique_line("old") + "\n";
    harness::write_file(dir.file("chat.log"), old);
    harness::LaunchOptions options;
    options.file_size_limit = old.size() + room;
    ServerProcess server{{"--log", dir.file("chat.log").string()}, options};
    Client reader = join(server.port());
    Client writer = join(server.port());
    Client other = join(server.port());
    sync(other, {&reader, &writer, &other});
    const std::string before = harness::read_file(server.log_path());
    ASSERT_LT(before.size() + 100, old.size() + room) << "the joins used up the room meant for the test";

    writer.send(unique_line("does-not-fit", room) + "\n");
    writer.expect_closed_within(5s, true);
    const std::string after = harness::read_file(server.log_path());
    if (after != before)
        ADD_FAILURE() << "the log changed although the line did not fit; it ends with "
                      << harness::printable(after.substr(std::min(after.size(), before.size())), 120);
    expect_service_log(server, "file too large");

    const std::string line = unique_line("fits");
    other.send(line + "\n");
    for (Client* client : {&reader, &other}) {
        const std::string got = client->read_line(5s, line);
        EXPECT_EQ(got, line) << "something else than the next whole record reached a client";
    }
    EXPECT_EQ(harness::read_file(server.log_path()), before + line + "\n");
}

} // namespace
} // namespace papaya::integration
