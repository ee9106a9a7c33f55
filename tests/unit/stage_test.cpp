#include "papaya/stage.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using papaya::features_for_stage;

namespace {

// fork_per_client, echo, multicast, authenticate as one comparable string.
std::string describe(papaya::StageFeatures f)
{
    return std::string(f.fork_per_client ? "fork " : "") + (f.echo ? "echo " : "") +
           (f.multicast ? "multicast " : "") + (f.authenticate ? "auth" : "");
}

} // namespace

TEST(Stage, ZeroEchoesOneClientAtATime)
{
    EXPECT_EQ(describe(features_for_stage(0)), "echo ");
}

TEST(Stage, OneEchoesWithAProcessPerClient)
{
    EXPECT_EQ(describe(features_for_stage(1)), "fork echo ");
}

TEST(Stage, TwoLogsWithoutMulticast)
{
    EXPECT_EQ(describe(features_for_stage(2)), "fork ");
}

TEST(Stage, ThreeAddsMulticast)
{
    EXPECT_EQ(describe(features_for_stage(3)), "fork multicast ");
}

TEST(Stage, FourToSixAuthenticate)
{
    for (int stage = 4; stage <= 6; ++stage) {
        EXPECT_EQ(describe(features_for_stage(stage)), "fork multicast auth") << "stage " << stage;
    }
}

TEST(Stage, OutsideZeroToSixThrows)
{
    EXPECT_THROW(features_for_stage(-1), std::invalid_argument);
    EXPECT_THROW(features_for_stage(7), std::invalid_argument);
}
