#include <gtest/gtest.h>

#include <cmath>

#include "statistics.hpp"

using bench::summarize;

TEST(Statistics, MeanStddevCv)
{
    // Sample standard deviation (n - 1): of 2 4 4 4 5 5 7 9 it is sqrt(32/7).
    const auto s = summarize({2, 4, 4, 4, 5, 5, 7, 9});
    EXPECT_EQ(s.n, 8u);
    EXPECT_DOUBLE_EQ(s.mean, 5.0);
    EXPECT_NEAR(s.stddev, std::sqrt(32.0 / 7.0), 1e-12);
    EXPECT_NEAR(s.cv, std::sqrt(32.0 / 7.0) / 5.0, 1e-12);
    EXPECT_DOUBLE_EQ(s.min, 2.0);
    EXPECT_DOUBLE_EQ(s.max, 9.0);
}

TEST(Statistics, ConstantSeriesHasZeroCv)
{
    const auto s = summarize({3, 3, 3});
    EXPECT_DOUBLE_EQ(s.stddev, 0.0);
    EXPECT_DOUBLE_EQ(s.cv, 0.0);
}

TEST(Statistics, DegenerateInputs)
{
    EXPECT_EQ(summarize({}).n, 0u);
    EXPECT_DOUBLE_EQ(summarize({5}).stddev, 0.0);
    EXPECT_DOUBLE_EQ(summarize({0, 0}).cv, 0.0) << "zero mean must not divide by zero";
}

TEST(Statistics, CvIsScaleFree)
{
    const auto a = summarize({1, 2, 3, 4});
    const auto b = summarize({10, 20, 30, 40});
    EXPECT_NEAR(a.cv, b.cv, 1e-12);
}

TEST(Statistics, MedianAndQuantile)
{
    EXPECT_DOUBLE_EQ(bench::median({3, 1, 2}), 2.0);
    EXPECT_DOUBLE_EQ(bench::median({4, 1, 3, 2}), 2.5);
    EXPECT_DOUBLE_EQ(bench::median({}), 0.0);
    EXPECT_DOUBLE_EQ(bench::quantile({0, 10}, 0.25), 2.5);
}
