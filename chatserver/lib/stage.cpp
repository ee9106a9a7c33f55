#include "papaya/stage.hpp"

#include "papaya/stages.hpp"

#include <stdexcept>
#include <string>

namespace papaya {

StageFeatures features_for_stage(int stage)
{
    if (stage < 0 || stage > last_stage)
        throw std::invalid_argument("stage " + std::to_string(stage) + " is not in 0.." + std::to_string(last_stage));
    return stages[static_cast<std::size_t>(stage)].features;
}

namespace {

bool same(const StageFeatures& a, const StageFeatures& b)
{
    return a.concurrent == b.concurrent && a.echo == b.echo && a.multicast == b.multicast &&
           a.authenticate == b.authenticate && a.engine == b.engine;
}

std::string range(int first, int last)
{
    return first == last ? std::to_string(first) : std::to_string(first) + " to " + std::to_string(last);
}

} // namespace

std::string describe_stage_choices()
{
    std::string out;
    for (std::size_t first = 0; first < stages.size();) {
        std::size_t last = first;
        while (last + 1 < stages.size() && same(stages[last + 1].features, stages[first].features)) ++last;
        out += (out.empty() ? "" : ", ") + range(static_cast<int>(first), static_cast<int>(last)) + " " +
               std::string(stages[first].server);
        first = last + 1;
    }
    return out;
}

std::string authenticating_stages()
{
    int first = -1;
    int last = -1;
    for (const auto& stage : stages) {
        if (!stage.features.authenticate) continue;
        if (first < 0) first = stage.number;
        last = stage.number;
    }
    return first < 0 ? "none" : range(first, last);
}

} // namespace papaya
