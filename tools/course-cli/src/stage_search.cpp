#include "stage_search.hpp"

#include "papaya/stages.hpp"
#include "progress.hpp"

namespace papaya::course {

grader::GradeReport grade_suite(int stage, const std::string& target)
{
    grader::GradeRequest request;
    request.stage = stage;
    request.target = target;
    request.regression = false;
    request.show_reports = false;
    return grader::grade(request);
}

Position first_unfinished_stage(int from, const SuiteGrader& grade)
{
    for (int k = from; k <= last_stage; ++k) {
        auto report = grade(k);
        if (!tally(report).passes()) return {k, std::move(report)};
    }
    return {last_stage + 1, {}};
}

} // namespace papaya::course
