// History (PROTOCOL.md section 4): the last H complete lines, never a
// fragment. The original sent "7 lines" found in the last 1050 bytes, so a
// long line made the history start in the middle of a line.
#include <gtest/gtest.h>

#include <optional>

#include "chat_helpers.hpp"

namespace papaya::integration {
namespace {

using namespace std::chrono_literals;

/// A log with lines longer than 1050 bytes, 4096 and 64 KiB, then a partial
/// last line without `\n` (a writer that died mid-record).
struct PrewrittenLog {
    std::vector<std::string> lines; ///< The complete lines, without `\n`.
    std::string text;               ///< The file's bytes.

    PrewrittenLog()
    {
        const std::vector<std::size_t> lengths = {3000, 3000,  3000, 3000,   3000, 3000, 3000, 3000, 3000,
                                                  3000, 70000, 3000, 100000, 50,   50,   50,   50};
        for (const std::size_t length : lengths) {
            lines.push_back(unique_line("old", length));
            text += lines.back() + "\n";
        }
        text += unique_line("partial");
    }

    /// The last @p h complete lines, as the server must send them.
    [[nodiscard]] std::string last(std::size_t h) const
    {
        std::string bytes;
        for (std::size_t i = lines.size() - std::min(h, lines.size()); i < lines.size(); ++i) bytes += lines[i] + "\n";
        return bytes;
    }
};

class History : public ::testing::TestWithParam<std::optional<std::size_t>> {};

TEST_P(History, IsTheLastCompleteLinesOnly)
{
    const PrewrittenLog log;
    const TempDir dir;
    harness::write_file(dir.file("chat.log"), log.text);
    std::vector<std::string> args{"--log", dir.file("chat.log").string()};
    if (GetParam()) args.insert(args.end(), {"--history", std::to_string(*GetParam())});
    ServerProcess server{args};

    Client client{server.port()};
    const std::string expected = log.last(GetParam().value_or(7));
    const std::string got = client.read_exact(expected.size(), 10s, "the history");
    EXPECT_TRUE(got == expected) << "history differs: received " << harness::printable(got, 200) << "\nexpected "
                                 << harness::printable(expected, 200);
    // Nothing more: above all not the partial last line.
    client.expect_no_data_for(300ms);
}

INSTANTIATE_TEST_SUITE_P(History, History,
                         ::testing::Values(std::nullopt, std::optional<std::size_t>{0}, std::optional<std::size_t>{3},
                                           std::optional<std::size_t>{12}, std::optional<std::size_t>{100}),
                         [](const auto& info) {
                             return info.param ? "History" + std::to_string(*info.param) : std::string{"Default"};
                         });

TEST(History, ThenLiveLinesWithoutGapOrRepeat)
{
    ServerProcess server;
    Client writer = join(server.port());
    std::vector<std::string> lines;
    for (int i = 0; i < 9; ++i) lines.push_back(unique_line("h"));
    for (const auto& line : lines) writer.send(line + "\n");
    expect_lines(writer, lines);

    Client reader{server.port()};
    expect_lines(reader, std::vector<std::string>(lines.end() - 7, lines.end()));
    expect_delivered(writer, {&reader, &writer}, "live");
}

} // namespace
} // namespace papaya::integration
