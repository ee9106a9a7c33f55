#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace bench {

namespace {
constexpr std::size_t bucket_count = (64 - Histogram::sub_bits + 1) * Histogram::sub_buckets;
}

Histogram::Histogram() : buckets_(bucket_count, 0) {}

std::size_t Histogram::index_of(std::uint64_t value) noexcept
{
    if (value < sub_buckets) return static_cast<std::size_t>(value);
    const int msb = 63 - std::countl_zero(value);
    const int shift = msb - sub_bits;
    const std::uint64_t mantissa = value >> shift; // in [sub_buckets, 2*sub_buckets)
    return static_cast<std::size_t>(shift + 1) * sub_buckets + static_cast<std::size_t>(mantissa - sub_buckets);
}

std::uint64_t Histogram::lower_bound_of(std::size_t index) noexcept
{
    if (index < sub_buckets) return index;
    const std::size_t shift = index / sub_buckets - 1;
    const std::uint64_t mantissa = index % sub_buckets + sub_buckets;
    return mantissa << shift;
}

std::uint64_t Histogram::upper_bound_of(std::size_t index) noexcept
{
    if (index < sub_buckets) return index;
    const std::size_t shift = index / sub_buckets - 1;
    const std::uint64_t mantissa = index % sub_buckets + sub_buckets;
    return ((mantissa + 1) << shift) - 1;
}

void Histogram::record(std::uint64_t value) noexcept
{
    ++buckets_[index_of(value)];
    ++count_;
    max_ = std::max(max_, value);
    min_ = std::min(min_, value);
    sum_ += static_cast<long double>(value);
}

void Histogram::merge(const Histogram& other) noexcept
{
    for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    max_ = std::max(max_, other.max_);
    min_ = std::min(min_, other.min_);
    sum_ += other.sum_;
}

double Histogram::mean() const noexcept
{
    return count_ ? static_cast<double>(sum_ / static_cast<long double>(count_)) : 0.0;
}

std::uint64_t Histogram::quantile(double q) const noexcept
{
    if (count_ == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    // The rank of the q-quantile, 1-based: at least one value is always covered.
    auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
    rank = std::max<std::uint64_t>(rank, 1);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        seen += buckets_[i];
        if (seen >= rank) return std::min(upper_bound_of(i), max_);
    }
    return max_;
}

} // namespace bench
