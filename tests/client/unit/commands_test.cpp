#include "commands.hpp"
#include "echo_waiter.hpp"
#include "status_line.hpp"
#include "utf8.hpp"

#include <gtest/gtest.h>

namespace papaya::client {
namespace {

TEST(Commands, TextIsAMessageAndSlashesAreCommands)
{
    EXPECT_EQ(parse_command("hello").kind, CommandKind::message);
    EXPECT_EQ(parse_command("hello").text, "hello");
    EXPECT_EQ(parse_command("   ").kind, CommandKind::nothing);
    EXPECT_EQ(parse_command("/quit").kind, CommandKind::quit);
    EXPECT_EQ(parse_command(" /exit ").kind, CommandKind::quit);
    EXPECT_EQ(parse_command("/help").kind, CommandKind::help);
    EXPECT_EQ(parse_command("/reconnect").kind, CommandKind::reconnect);
    EXPECT_EQ(parse_command("/clear").kind, CommandKind::clear);
    const Command unknown = parse_command("/frobnicate now");
    EXPECT_EQ(unknown.kind, CommandKind::unknown);
    EXPECT_EQ(unknown.text, "/frobnicate");
    const Command escaped = parse_command("//quit is a command");
    EXPECT_EQ(escaped.kind, CommandKind::message);
    EXPECT_EQ(escaped.text, "/quit is a command");
}

TEST(Commands, HelpNamesEveryCommand)
{
    std::string all;
    for (const std::string& line : help_lines()) all += line + "\n";
    for (const char* name : {"/help", "/quit", "/reconnect", "/clear", "PageUp", "Ctrl-D", "Esc"}) {
        EXPECT_NE(all.find(name), std::string::npos) << name;
    }
}

TEST(EchoWaiter, OnlyLinesAfterTheSendCount)
{
    EchoWaiter waiter;
    EXPECT_TRUE(waiter.done());
    waiter.received("ana: hi"); // history: an identical older line
    waiter.sent("ana: hi");
    EXPECT_FALSE(waiter.done());
    waiter.received("bob: hi");
    EXPECT_FALSE(waiter.done());
    waiter.received("ana: hi");
    EXPECT_TRUE(waiter.done());
}

TEST(EchoWaiter, LinesComeBackInTheOrderSent)
{
    EchoWaiter waiter;
    waiter.sent("ana: 1");
    waiter.sent("ana: 2");
    waiter.sent("ana: 1");
    waiter.received("ana: 2"); // cannot be ours yet: our 1 is stored before it
    EXPECT_EQ(waiter.pending(), 3u);
    waiter.received("ana: 1");
    waiter.received("ana: 2");
    EXPECT_EQ(waiter.pending(), 1u);
    waiter.received("ana: 1");
    EXPECT_TRUE(waiter.done());
}

TEST(StatusLine, SaysTheStateServerAndName)
{
    StatusInfo info{"127.0.0.1:7722", "ana", LinkState::connected, false, 0};
    const std::string text = status_text(info, 80);
    EXPECT_EQ(text_width(text), 80u);
    EXPECT_NE(text.find("connected"), std::string::npos);
    EXPECT_NE(text.find("ana @ 127.0.0.1:7722"), std::string::npos);
    info.state = LinkState::disconnected;
    EXPECT_NE(status_text(info, 80).find("DISCONNECTED"), std::string::npos);
    EXPECT_NE(status_text(info, 80).find("/reconnect"), std::string::npos);
    info.state = LinkState::connected;
    info.scrolled = true;
    info.unseen = 3;
    EXPECT_NE(status_text(info, 80).find("3 new"), std::string::npos);
}

TEST(StatusLine, FitsANarrowTerminal)
{
    const StatusInfo info{"[2001:db8::1]:7722", "\xE6\x97\xA5\xE6\x9C\xAC", LinkState::disconnected, false, 0};
    for (std::size_t width = 0; width < 40; ++width) {
        const std::string text = status_text(info, width);
        EXPECT_LE(text_width(text), width);
    }
    EXPECT_NE(status_text(info, 15).find("DISCONNECTED"), std::string::npos);
    // Where the long hint does not fit, a short one still says what to do.
    const std::string narrow = status_text(info, 60);
    EXPECT_NE(narrow.find("r: reconnect"), std::string::npos) << narrow;
    EXPECT_EQ(text_width(narrow), 60u);
}

} // namespace
} // namespace papaya::client
