#include "progress.hpp"

namespace papaya::course {

SuiteTally tally(const grader::GradeReport& report)
{
    SuiteTally out;
    out.passed = report.passed;
    out.total = report.passed + report.failed;
    out.points = report.total();
    out.incomplete = report.incomplete();
    return out;
}

std::string progress_bar(int passed, int total)
{
    constexpr int width = 30;
    const int filled = total > 0 ? passed * width / total : 0;
    std::string bar;
    for (int i = 0; i < width; ++i) bar += i < filled ? '#' : '.';
    return "[" + bar + "] " + std::to_string(passed) + "/" + std::to_string(total) + " tests";
}

} // namespace papaya::course
