#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "histogram.hpp"

using bench::Histogram;

TEST(Histogram, EmptyReportsZero)
{
    Histogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.quantile(0.99), 0u);
    EXPECT_EQ(h.max(), 0u);
}

TEST(Histogram, SmallValuesAreExact)
{
    Histogram h;
    for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
    EXPECT_EQ(h.quantile(0.5), 50u);
    EXPECT_EQ(h.quantile(0.99), 99u);
    EXPECT_EQ(h.quantile(1.0), 100u);
    EXPECT_EQ(h.min(), 1u);
    EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, BucketsCoverEveryValueOnceAndContiguously)
{
    // Bucket i ends where bucket i+1 begins: no gaps, no overlaps.
    for (std::size_t i = 0; i + 1 < 60 * Histogram::sub_buckets; ++i) {
        ASSERT_EQ(Histogram::upper_bound_of(i) + 1, Histogram::lower_bound_of(i + 1)) << i;
    }
    for (std::uint64_t v : {0ULL, 1ULL, 127ULL, 128ULL, 129ULL, 255ULL, 256ULL, 1000ULL, 123456789ULL, ~0ULL}) {
        const auto i = Histogram::index_of(v);
        EXPECT_LE(Histogram::lower_bound_of(i), v);
        EXPECT_GE(Histogram::upper_bound_of(i), v);
    }
}

TEST(Histogram, RelativeErrorBelowOnePercent)
{
    std::mt19937_64 rng(42);
    std::vector<std::uint64_t> values;
    Histogram h;
    for (int i = 0; i < 100000; ++i) {
        const std::uint64_t v = 1000 + rng() % 10'000'000;
        values.push_back(v);
        h.record(v);
    }
    std::sort(values.begin(), values.end());
    for (double q : {0.5, 0.9, 0.99, 0.999}) {
        const auto exact = static_cast<double>(values[static_cast<std::size_t>(std::ceil(q * 100000)) - 1]);
        const auto got = static_cast<double>(h.quantile(q));
        EXPECT_NEAR(got, exact, exact * 0.01) << q;
        EXPECT_GE(got, exact) << "quantiles report the bucket's upper bound";
    }
    EXPECT_EQ(h.quantile(1.0), values.back());
}

TEST(Histogram, MergeAddsCounts)
{
    Histogram a, b;
    a.record(10);
    b.record(1'000'000);
    b.record(20);
    a.merge(b);
    EXPECT_EQ(a.count(), 3u);
    EXPECT_EQ(a.max(), 1'000'000u);
    EXPECT_EQ(a.min(), 10u);
    EXPECT_EQ(a.quantile(0.5), 20u);
}
