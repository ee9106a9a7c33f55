// The full-screen interface driven for real: the client runs in tmux panes
// of a fixed size, keys go in with send-keys, the screen is read back with
// capture-pane and polled until the expected text appears (no fixed sleeps).
#include <gtest/gtest.h>

#include <poll.h>

#include <algorithm>
#include <memory>

#include "chat_fixture.hpp"
#include "child_process.hpp"
#include "tmux.hpp"

namespace papaya::client_tests {
namespace {

using namespace std::chrono_literals;
using harness::Deadline;
using harness::random_token;

constexpr auto patience = 10s;

bool contains(const std::vector<std::string>& lines, const std::string& line)
{
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

class FullScreen : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (Tmux::program().empty()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
        tmux_ = std::make_unique<Tmux>();
    }

    /// Starts a client called @p name in session @p name and waits until it is connected.
    void start(const KeyedServer& s, const std::string& name, std::vector<std::string> extra = {}, int columns = 80,
               int rows = 24, bool wait_connected = true)
    {
        std::vector<std::string> argv{client_path()};
        for (const std::string& arg : s.client_args(name)) argv.push_back(arg);
        argv.insert(argv.end(), extra.begin(), extra.end());
        tmux_->start(name, argv, s.dir.path().string(), columns, rows);
        if (wait_connected) tmux_->wait_text(name, " connected | " + name + " @ 127.0.0.1:", Deadline{patience});
    }

    /// Like start(), but a shell runs the client and then prints its exit status.
    void start_wrapped(const KeyedServer& s, const std::string& name)
    {
        // `read` first: the session is up before the client runs.
        std::vector<std::string> argv{"/bin/sh", "-c",
                                      "read go; \"$@\"; echo \"papaya exited with status $?\"; exec cat", "sh",
                                      client_path()};
        for (const std::string& arg : s.client_args(name)) argv.push_back(arg);
        tmux_->start(name, argv, s.dir.path().string());
        tmux_->keys(name, {"Enter"});
        tmux_->wait_text(name, " connected | " + name + " @ 127.0.0.1:", Deadline{patience});
    }

    /// Types @p text and Enter.
    void say(const std::string& session, const std::string& text)
    {
        tmux_->type(session, text);
        tmux_->keys(session, {"Enter"});
    }

    std::unique_ptr<Tmux> tmux_;
};

TEST_F(FullScreen, TwoClientsExchangeMessages)
{
    KeyedServer s;
    start(s, "ana");
    start(s, "bob");
    say("ana", "hello bob, how are you?");
    tmux_->wait_text("bob", "ana: hello bob, how are you?", Deadline{patience});
    say("bob", "fine, thanks");
    tmux_->wait_text("ana", "bob: fine, thanks", Deadline{patience});
    tmux_->wait_text("ana", "ana: hello bob, how are you?", Deadline{patience});
    EXPECT_EQ(s.log_lines(), (std::vector<std::string>{"ana: hello bob, how are you?", "bob: fine, thanks"}));

    // Own messages and others' look different: compare the attributes in
    // front of each name on ana's screen.
    const std::string screen = tmux_->screen_with_attributes("ana");
    const auto style_before = [&](const std::string& text) {
        const auto at = screen.find(text);
        EXPECT_NE(at, std::string::npos) << text;
        const auto line_start = screen.rfind('\n', at) + 1;
        return screen.substr(line_start, at - line_start);
    };
    const std::string own = style_before("ana:");
    const std::string other = style_before("bob:");
    EXPECT_NE(own, other) << "own and others' messages are drawn alike";
    EXPECT_NE(own.find("1"), std::string::npos) << "own messages are bold: " << harness::printable(own);
}

TEST_F(FullScreen, ScrollBackWithPageUpAndDown)
{
    std::string log;
    for (int i = 1; i <= 60; ++i) log += "old: line " + std::string(i < 10 ? "0" : "") + std::to_string(i) + "\n";
    KeyedServer s{{"--history", "60"}, log};
    start(s, "ana");
    tmux_->wait_text("ana", "old: line 60", Deadline{patience});
    EXPECT_EQ(tmux_->screen_text("ana").find("old: line 01"), std::string::npos);

    for (int i = 0; i < 3; ++i) tmux_->keys("ana", {"PPage"});
    tmux_->wait_text("ana", "old: line 01", Deadline{patience});
    EXPECT_EQ(tmux_->screen_text("ana").find("old: line 60"), std::string::npos);
    tmux_->wait_text("ana", "scrolled back", Deadline{patience});

    // A message arriving meanwhile does not move the view; it is counted.
    harness::Client other = s.connect();
    other.send("zed: while you were reading\n");
    tmux_->wait_text("ana", "1 new", Deadline{patience});
    EXPECT_NE(tmux_->screen_text("ana").find("old: line 01"), std::string::npos);

    for (int i = 0; i < 3; ++i) tmux_->keys("ana", {"NPage"});
    tmux_->wait_text("ana", "zed: while you were reading", Deadline{patience});
    tmux_->wait_text("ana", "PgUp: scroll back", Deadline{patience});
}

TEST_F(FullScreen, MouseWheelScrollsThreeRows)
{
    std::string log;
    for (int i = 1; i <= 40; ++i) log += "old: line " + std::string(i < 10 ? "0" : "") + std::to_string(i) + "\n";
    KeyedServer s{{"--history", "40"}, log};
    start(s, "ana");
    tmux_->wait_text("ana", "old: line 40", Deadline{patience});
    const std::string top = tmux_->screen("ana").front();
    ASSERT_EQ(top, "old: line 19");
    // What xterm sends for the wheel in SGR mouse mode, which ncurses asked for.
    tmux_->type("ana", "\x1b[<64;10;5M");
    tmux_->wait_screen(
        "ana", [](const std::string& screen) { return screen.starts_with("old: line 16\n"); }, "3 rows scrolled up",
        Deadline{patience});
    tmux_->type("ana", "\x1b[<65;10;5M");
    tmux_->wait_screen(
        "ana", [](const std::string& screen) { return screen.starts_with("old: line 19\n"); }, "back at the bottom",
        Deadline{patience});
    EXPECT_EQ(tmux_->screen("ana").back(), ">") << "the wheel does not type";
}

TEST_F(FullScreen, MessagesArrivingWhileTypingLeaveTheInputLineIntact)
{
    KeyedServer s;
    start(s, "ana");
    tmux_->type("ana", "half a sentence");
    tmux_->wait_text("ana", "> half a sentence", Deadline{patience});

    harness::Client other = s.connect();
    std::string burst;
    for (int i = 1; i <= 30; ++i) burst += "zed: interruption " + std::to_string(i) + " " + std::string(60, '.') + "\n";
    other.send(burst); // several lines in one segment, and more than a screenful
    tmux_->wait_text("ana", "zed: interruption 30", Deadline{patience});

    const std::vector<std::string> rows = tmux_->screen("ana");
    ASSERT_EQ(rows.size(), 24u);
    EXPECT_EQ(rows.back(), "> half a sentence");
    EXPECT_EQ(tmux_->format("ana", "#{cursor_x} #{cursor_y}"), "17 23") << "cursor after the typed text";

    say("ana", " and the rest");
    tmux_->wait_text("ana", "ana: half a sentence and the rest", Deadline{patience});
    EXPECT_TRUE(contains(s.log_lines(), "ana: half a sentence and the rest"));
    EXPECT_EQ(tmux_->screen("ana").back(), ">");
}

TEST_F(FullScreen, ResizeRewrapsAndKeepsTheLayout)
{
    KeyedServer s;
    start(s, "ana");
    const std::string words = "every word of this message must survive the rewrapping when the terminal changes its "
                              "size, end.";
    say("ana", words);
    tmux_->wait_text("ana", "end.", Deadline{patience});

    tmux_->resize("ana", 50, 15);
    tmux_->wait_screen(
        "ana",
        [](const std::string& screen) {
            const auto rows = std::count(screen.begin(), screen.end(), '\n');
            return rows == 15 && screen.find(" connected |") != std::string::npos;
        },
        "a 50x15 layout", Deadline{patience});
    std::vector<std::string> rows = tmux_->screen("ana");
    EXPECT_EQ(rows[13].substr(0, 11), " connected ") << "status line on the second last row";
    EXPECT_EQ(rows[14], ">") << "input line on the last row";
    std::string joined;
    for (const std::string& row : rows) {
        EXPECT_LE(row.size(), 50u) << row;
        if (row.starts_with("ana: ") || row.starts_with("  "))
            joined += (joined.empty() ? "" : " ") + row.substr(row.starts_with("  ") ? 2 : 0);
    }
    EXPECT_NE(joined.find("ana: " + words), std::string::npos) << joined;

    tmux_->resize("ana", 100, 30);
    tmux_->wait_screen(
        "ana", [](const std::string& screen) { return std::count(screen.begin(), screen.end(), '\n') == 30; },
        "a 100x30 layout", Deadline{patience});
    tmux_->wait_screen(
        "ana", [](const std::string& screen) { return screen.find("its size, end.") != std::string::npos; },
        "the message rewrapped for 100 columns", Deadline{patience});
    rows = tmux_->screen("ana");
    EXPECT_NE(rows[28].find("connected"), std::string::npos);
}

TEST_F(FullScreen, QuitWithSlashQuitCtrlDOrEsc)
{
    KeyedServer s;
    // A shell runs each client and reports its exit status: tmux 3.3 does
    // not always reap a pane's program in time to report it itself.
    const auto run = [&](const std::string& session, const std::vector<std::string>& keys, const std::string& text) {
        start_wrapped(s, session);
        if (!text.empty()) tmux_->type(session, text);
        tmux_->keys(session, keys);
        tmux_->wait_text(session, "papaya exited with status 0", Deadline{patience});
    };
    run("slash", {"Enter"}, "/quit");
    run("ctrld", {"C-d"}, "some text"); // Ctrl-D leaves even with text typed
    run("escape", {"Escape"}, "");
    EXPECT_TRUE(s.log_lines().empty()) << "/quit is not sent";
}

TEST_F(FullScreen, ServerGoingAwayAndReconnecting)
{
    KeyedServer s;
    start(s, "ana");
    say("ana", "before the outage");
    tmux_->wait_text("ana", "ana: before the outage", Deadline{patience});
    const std::string port = std::to_string(s.server.port());

    s.server.stop();
    tmux_->wait_text("ana", "DISCONNECTED", Deadline{patience});
    tmux_->wait_text("ana", "disconnected: the server closed the connection", Deadline{patience});
    say("ana", "into the void");
    tmux_->wait_text("ana", "not connected", Deadline{patience});
    EXPECT_EQ(tmux_->screen("ana").back(), "> into the void") << "the text is kept for later";

    // The same service again, on the same port.
    harness::ServerProcess again{{"--port", port, "--key-file", s.key_file.string(), "--log", s.log.string()}};
    tmux_->keys("ana", {"C-u"});
    tmux_->type("ana", "r");
    tmux_->wait_text("ana", "again; the history follows", Deadline{patience});
    tmux_->wait_text("ana", " connected | ana", Deadline{patience});
    EXPECT_NE(tmux_->screen_text("ana").find("disconnected: the server closed"), std::string::npos)
        << "the pane keeps its content";
    say("ana", "back again");
    tmux_->wait_text("ana", "ana: back again", Deadline{patience});
    EXPECT_TRUE(contains(s.log_lines(), "ana: back again"));
}

/// The share of one CPU @p pid used over about a second of idleness.
double idle_cpu_share(pid_t pid)
{
    const auto wall_start = std::chrono::steady_clock::now();
    const unsigned long long cpu_start = harness::cpu_time_ns(pid);
    // Measuring, not synchronising: CPU use over one second of idleness.
    ::poll(nullptr, 0, 1000);
    const unsigned long long cpu_end = harness::cpu_time_ns(pid);
    const auto wall_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - wall_start).count();
    if (cpu_end == 0) harness::fail("the client is gone");
    return static_cast<double>(cpu_end - cpu_start) / static_cast<double>(wall_ns);
}

TEST_F(FullScreen, IdleClientUsesNoCpu)
{
    KeyedServer s;
    start(s, "ana");
    say("ana", "now idle");
    tmux_->wait_text("ana", "ana: now idle", Deadline{patience});
    const pid_t pid = tmux_->pid("ana");
    ASSERT_EQ(harness::process_name(pid), "papaya");
    double share = idle_cpu_share(pid);
    EXPECT_LT(share, 0.05) << "an idle client used " << share * 100 << "% of a CPU: a busy loop?";

    // Also idle once the server is gone and the terminal was resized, and a
    // key pressed after the resize (which once made it spin on KEY_RESIZE).
    s.server.stop();
    tmux_->wait_text("ana", "DISCONNECTED", Deadline{patience});
    tmux_->resize("ana", 60, 16);
    tmux_->wait_screen(
        "ana", [](const std::string& screen) { return std::count(screen.begin(), screen.end(), '\n') == 16; },
        "a 60x16 layout", Deadline{patience});
    tmux_->type("ana", "x");
    tmux_->wait_screen(
        "ana", [](const std::string& screen) { return screen.ends_with("\n> x\n"); }, "the x typed",
        Deadline{patience});
    share = idle_cpu_share(pid);
    EXPECT_LT(share, 0.05) << "a disconnected, resized client used " << share * 100 << "% of a CPU: a busy loop?";
}

TEST_F(FullScreen, Utf8AndWideCharactersAreShownAndWrapped)
{
    KeyedServer s;
    start(s, "ana");
    harness::Client other = s.connect();
    const std::string accents = "zo\xC3\xAB: d\xC3\xA9j\xC3\xA0 vu, \xC3\xBCn\xC3\xAF"
                                "c\xC3\xB6"
                                "d\xC3\xA9 \xE2\x9C\x93";
    other.send(accents + "\n");
    std::string kanji_line = "zo\xC3\xAB: ";
    for (int i = 0; i < 50; ++i) kanji_line += "\xE6\x97\xA5"; // 日 x 50: 100 columns
    other.send(kanji_line + "\n");
    tmux_->wait_text("ana", accents, Deadline{patience});
    const std::vector<std::string> rows = tmux_->screen("ana");
    std::string first_row_kanji = "zo\xC3\xAB: ";
    for (int i = 0; i < 37; ++i) first_row_kanji += "\xE6\x97\xA5"; // 5 + 74 = 79 columns; one more would be 81
    std::string second_row_kanji = "  ";
    for (int i = 0; i < 13; ++i) second_row_kanji += "\xE6\x97\xA5";
    EXPECT_TRUE(contains(rows, first_row_kanji)) << tmux_->screen_text("ana");
    EXPECT_TRUE(contains(rows, second_row_kanji)) << tmux_->screen_text("ana");

    say("ana", "r\xC3\xA9ponse \xE6\x97\xA5\xE6\x9C\xAC");
    tmux_->wait_text("ana", "ana: r\xC3\xA9ponse \xE6\x97\xA5\xE6\x9C\xAC", Deadline{patience});
    EXPECT_TRUE(contains(s.log_lines(), "ana: r\xC3\xA9ponse \xE6\x97\xA5\xE6\x9C\xAC"));
}

TEST_F(FullScreen, ControlCharactersFromOthersCannotDriveTheTerminal)
{
    KeyedServer s;
    start(s, "ana");
    harness::Client other = s.connect();
    other.send("mallory: \x1b[2J\x1b[Hcleared? \x07\n");
    tmux_->wait_text("ana", "cleared?", Deadline{patience});
    const std::string screen = tmux_->screen_text("ana");
    EXPECT_NE(screen.find("connected to 127.0.0.1"), std::string::npos) << "the screen was cleared:\n" << screen;
    EXPECT_NE(screen.find("mallory: \xEF\xBF\xBD[2J\xEF\xBF\xBD[Hcleared?"), std::string::npos) << screen;
}

TEST_F(FullScreen, WrongKeyIsExplainedInTheInterface)
{
    KeyedServer s;
    const auto wrong = harness::write_key_file(s.dir, harness::random_key(), 0600, "wrong-key");
    // Wide enough for the whole explanation on one row.
    tmux_->start("ana",
                 {client_path(), "--port", std::to_string(s.server.port()), "--key-file", wrong.string(), "--name",
                  "ana"},
                 s.dir.path().string(), 200, 24);
    tmux_->wait_text("ana", "wrong key, or the server is full", Deadline{patience});
    tmux_->wait_text("ana", "DISCONNECTED", Deadline{patience});
}

TEST_F(FullScreen, HelpListsTheCommands)
{
    KeyedServer s;
    start(s, "ana");
    say("ana", "/help");
    tmux_->wait_text("ana", "/reconnect", Deadline{patience});
    const std::string screen = tmux_->screen_text("ana");
    for (const char* text : {"/quit", "/clear", "PageUp", "Ctrl-D"}) {
        EXPECT_NE(screen.find(text), std::string::npos) << text;
    }
    say("ana", "/nonsense");
    tmux_->wait_text("ana", "unknown command /nonsense", Deadline{patience});
    EXPECT_TRUE(s.log_lines().empty()) << "commands are not sent";
}

TEST(FullScreenStartup, RefusedConnectionIsReportedBeforeTakingTheScreen)
{
    if (Tmux::program().empty()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
    Tmux tmux;
    const harness::TempDir home;
    tmux.start("ana",
               {"/bin/sh", "-c", "read go; \"$0\" --port \"$1\" --name ana; echo \"status=$?\"; exec cat",
                client_path(), std::to_string(closed_port())},
               home.path().string(), 200, 24);
    tmux.keys("ana", {"Enter"});
    tmux.wait_text("ana", "status=1", Deadline{patience});
    EXPECT_NE(tmux.screen_text("ana").find("papaya: cannot connect to 127.0.0.1:"), std::string::npos)
        << tmux.screen_text("ana");
}

} // namespace
} // namespace papaya::client_tests
