#pragma once
// Summary statistics of a sample series (CPU% per interval, per-run medians).
#include <vector>

namespace bench {

struct Summary {
    std::size_t n = 0;
    double mean = 0;
    double stddev = 0; ///< sample standard deviation (n - 1), 0 when n < 2
    double cv = 0;     ///< stddev / mean, 0 when mean is 0
    double min = 0;
    double max = 0;
};

Summary summarize(const std::vector<double>& values);
/// Median (mean of the two middle values for even n); 0 when empty.
double median(std::vector<double> values);
/// Linear-interpolated quantile, q in [0,1]; 0 when empty.
double quantile(std::vector<double> values, double q);

} // namespace bench
