#include "papaya/stage.hpp"
#include "papaya/stages.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using papaya::features_for_stage;

namespace {

// concurrent, echo, multicast, authenticate as one comparable string.
std::string describe(papaya::StageFeatures f)
{
    return std::string(f.concurrent ? "fork " : "") + (f.echo ? "echo " : "") + (f.multicast ? "multicast " : "") +
           (f.authenticate ? "auth" : "");
}

} // namespace

TEST(Stage, ZeroEchoesOneClientAtATime) { EXPECT_EQ(describe(features_for_stage(0)), "echo "); }

TEST(Stage, OneEchoesWithAProcessPerClient) { EXPECT_EQ(describe(features_for_stage(1)), "fork echo "); }

TEST(Stage, TwoLogsWithoutMulticast) { EXPECT_EQ(describe(features_for_stage(2)), "fork "); }

TEST(Stage, ThreeAddsMulticast) { EXPECT_EQ(describe(features_for_stage(3)), "fork multicast "); }

TEST(Stage, FourToSixAuthenticate)
{
    for (int stage = 4; stage <= 6; ++stage) {
        EXPECT_EQ(describe(features_for_stage(stage)), "fork multicast auth") << "stage " << stage;
    }
}

TEST(Stage, LaterStagesChangeOnlyTheEngine)
{
    EXPECT_EQ(features_for_stage(7).engine, papaya::Engine::threads);
    EXPECT_EQ(features_for_stage(8).engine, papaya::Engine::event_loop);
    for (int stage = 7; stage <= 8; ++stage)
        EXPECT_EQ(describe(features_for_stage(stage)), "fork multicast auth") << "stage " << stage;
    EXPECT_EQ(papaya::default_stage, 6) << "papayad is the process server unless --stage says otherwise";
}

TEST(Stage, OutsideTheTableThrows)
{
    EXPECT_THROW(features_for_stage(-1), std::invalid_argument);
    EXPECT_THROW(features_for_stage(papaya::last_stage + 1), std::invalid_argument);
}

// The generated table (labs/stages.json) is in order and complete.
TEST(Stage, TableIsNumberedInOrderAndNamesFilesAndAWorkload)
{
    for (const auto& stage : papaya::stages) {
        EXPECT_EQ(&stage - papaya::stages.data(), stage.number);
        EXPECT_FALSE(stage.files.empty()) << "stage " << stage.number;
        EXPECT_FALSE(stage.compare_clients.empty()) << "stage " << stage.number;
        EXPECT_TRUE(stage.workload == "echo" || stage.workload == "append" || stage.workload == "chat")
            << "stage " << stage.number << ": " << stage.workload;
    }
}

// The help texts of --stage and --key-file are made from the table.
TEST(Stage, ChoicesInWordsGroupStagesWithTheSameFeatures)
{
    EXPECT_EQ(papaya::describe_stage_choices(),
              "0 echo one client at a time, 1 echo concurrently, 2 chat log and history, "
              "3 live multicast, 4 to 6 key authentication, 7 a RECV and a SEND thread per client, "
              "8 one thread, epoll and non-blocking sockets");
    EXPECT_EQ(papaya::authenticating_stages(), "4 to 8");
}
