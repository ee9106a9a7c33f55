#include "papaya/grader/stage_rules.hpp"

#include <stdexcept>

#include "papaya/stages.hpp"

namespace papaya::grader {

bool keyed_regression(int graded_stage, int suite_stage)
{
    if (graded_stage < 0 || graded_stage > last_stage || suite_stage < 0 || suite_stage >= graded_stage) return false;
    const auto& suite = stages[static_cast<std::size_t>(suite_stage)].features;
    return stages[static_cast<std::size_t>(graded_stage)].features.authenticate && !suite.echo && !suite.authenticate;
}

int keyed_server_stage()
{
    for (const auto& stage : stages)
        if (stage.features.authenticate) return stage.number;
    throw std::logic_error("labs/stages.json: no stage authenticates, yet a suite runs with a key");
}

} // namespace papaya::grader
