#include "transcript.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace papaya::client {
namespace {

/// The pane as text, one string per row (continuation rows with their indent).
std::vector<std::string> screen(const Transcript& transcript)
{
    std::vector<std::string> out;
    for (const Transcript::Row& row : transcript.visible_rows()) {
        out.push_back(std::string(row.first ? 0 : continuation_indent, ' ') +
                      row.message->text.substr(row.span.begin, row.span.end - row.span.begin));
    }
    return out;
}

Transcript numbered(std::size_t count, std::size_t height)
{
    Transcript transcript("ana");
    transcript.set_viewport(40, height);
    for (std::size_t i = 1; i <= count; ++i) transcript.add_line("bob: line " + std::to_string(i));
    return transcript;
}

TEST(Message, OwnLinesAreRecognisedByName)
{
    const Message own = make_message("ana: hi", "ana");
    EXPECT_EQ(own.kind, MessageKind::own);
    EXPECT_EQ(own.name_length, 4u);
    EXPECT_EQ(make_message("anabel: hi", "ana").kind, MessageKind::other);
    EXPECT_EQ(make_message("ana:hi", "ana").kind, MessageKind::other);
    const Message other = make_message("bob: hi", "ana");
    EXPECT_EQ(other.kind, MessageKind::other);
    EXPECT_EQ(other.name_length, 4u);
    EXPECT_EQ(other.color, name_color("bob"));
    EXPECT_EQ(make_message("no name here", "ana").name_length, 0u);
}

TEST(Message, ColoursAreStablePerName)
{
    EXPECT_EQ(name_color("bob"), name_color("bob"));
    EXPECT_LT(name_color("anything"), name_colors);
    // Some pair of these differs, or colour would not tell names apart.
    EXPECT_TRUE(name_color("ana") != name_color("bob") || name_color("bob") != name_color("cleo") ||
                name_color("cleo") != name_color("dan"));
}

TEST(Transcript, ShowsTheNewestRowsAndFollowsThem)
{
    Transcript transcript = numbered(10, 3);
    EXPECT_EQ(screen(transcript), (std::vector<std::string>{"bob: line 8", "bob: line 9", "bob: line 10"}));
    transcript.add_line("bob: line 11");
    EXPECT_EQ(screen(transcript).back(), "bob: line 11");
    EXPECT_EQ(transcript.offset(), 0u);
}

TEST(Transcript, FewMessagesFillFromTheTop)
{
    Transcript transcript = numbered(2, 5);
    EXPECT_EQ(screen(transcript), (std::vector<std::string>{"bob: line 1", "bob: line 2"}));
}

TEST(Transcript, PagesBackAndForthKeepingOneRowOfContext)
{
    Transcript transcript = numbered(10, 4);
    transcript.page_up(); // 3 rows
    EXPECT_EQ(screen(transcript),
              (std::vector<std::string>{"bob: line 4", "bob: line 5", "bob: line 6", "bob: line 7"}));
    transcript.page_up();
    transcript.page_up(); // clamped at the first row
    EXPECT_EQ(screen(transcript).front(), "bob: line 1");
    EXPECT_EQ(transcript.offset(), 6u);
    transcript.page_down();
    EXPECT_EQ(screen(transcript).front(), "bob: line 4");
    transcript.page_down();
    transcript.page_down();
    EXPECT_EQ(transcript.offset(), 0u);
    EXPECT_EQ(screen(transcript).back(), "bob: line 10");
}

TEST(Transcript, ScrolledBackTheViewStaysWhileMessagesArrive)
{
    Transcript transcript = numbered(10, 3);
    transcript.scroll_up(5);
    const auto before = screen(transcript);
    transcript.add_line("bob: new 1");
    transcript.add_line("bob: new 2");
    EXPECT_EQ(screen(transcript), before);
    EXPECT_EQ(transcript.unseen(), 2u);
    transcript.scroll_to_end();
    EXPECT_EQ(transcript.unseen(), 0u);
    EXPECT_EQ(screen(transcript).back(), "bob: new 2");
}

TEST(Transcript, WrapsLongMessagesAndRewrapsOnResize)
{
    Transcript transcript("ana");
    transcript.set_viewport(20, 10);
    transcript.add_line("bob: a fairly long message for a small pane");
    EXPECT_EQ(screen(transcript), (std::vector<std::string>{"bob: a fairly long", "  message for a", "  small pane"}));
    EXPECT_EQ(transcript.total_rows(), 3u);
    transcript.set_viewport(60, 10);
    EXPECT_EQ(transcript.total_rows(), 1u);
}

TEST(Transcript, PartialMessageAtTheTopShowsItsLastRows)
{
    Transcript transcript("ana");
    transcript.set_viewport(20, 2);
    transcript.add_line("bob: a fairly long message for a small pane");
    EXPECT_EQ(screen(transcript), (std::vector<std::string>{"  message for a", "  small pane"}));
    transcript.scroll_up(1);
    EXPECT_EQ(screen(transcript), (std::vector<std::string>{"bob: a fairly long", "  message for a"}));
}

TEST(Transcript, NoticesAreMarkedAndCapacityIsBounded)
{
    Transcript transcript("ana", 3);
    transcript.set_viewport(40, 10);
    transcript.add_notice("disconnected");
    EXPECT_EQ(transcript.messages().back().kind, MessageKind::notice);
    EXPECT_EQ(transcript.messages().back().text, "* disconnected");
    for (int i = 0; i < 5; ++i) transcript.add_line("bob: " + std::to_string(i));
    EXPECT_EQ(transcript.messages().size(), 3u);
    EXPECT_EQ(transcript.total_rows(), 3u);
    EXPECT_EQ(transcript.messages().front().text, "bob: 2");
    transcript.clear();
    EXPECT_TRUE(screen(transcript).empty());
}

} // namespace
} // namespace papaya::client
