#pragma once
// Log-linear histogram (HdrHistogram's layout): each power of two is split into
// 2^sub_bits linear sub-buckets, so any recorded value is reported within
// 1/2^sub_bits (< 0.8 %) of itself, from nanoseconds to hours, in fixed memory.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bench {

class Histogram {
public:
    static constexpr int sub_bits = 7;
    static constexpr std::size_t sub_buckets = std::size_t{1} << sub_bits;

    Histogram();

    void record(std::uint64_t value) noexcept;
    void merge(const Histogram& other) noexcept;

    [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
    [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
    [[nodiscard]] std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
    [[nodiscard]] double mean() const noexcept;
    /// Smallest recorded-bucket upper bound with at least q of the values at or
    /// below it (q in [0,1]), clamped to the true max; 0 when empty.
    [[nodiscard]] std::uint64_t quantile(double q) const noexcept;

    static std::size_t index_of(std::uint64_t value) noexcept;
    /// Highest value that falls into bucket @p index.
    static std::uint64_t upper_bound_of(std::size_t index) noexcept;
    static std::uint64_t lower_bound_of(std::size_t index) noexcept;

private:
    std::vector<std::uint64_t> buckets_;
    std::uint64_t count_ = 0;
    std::uint64_t max_ = 0;
    std::uint64_t min_ = UINT64_MAX;
    long double sum_ = 0;
};

} // namespace bench
