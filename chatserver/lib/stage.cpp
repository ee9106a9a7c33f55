#include "papaya/stage.hpp"

#include <stdexcept>
#include <string>

namespace papaya {

StageFeatures features_for_stage(int stage)
{
    switch (stage) {
    case 0: return {.fork_per_client = false, .echo = true, .multicast = false, .authenticate = false};
    case 1: return {.fork_per_client = true, .echo = true, .multicast = false, .authenticate = false};
    case 2: return {.fork_per_client = true, .echo = false, .multicast = false, .authenticate = false};
    case 3: return {.fork_per_client = true, .echo = false, .multicast = true, .authenticate = false};
    case 4:
    case 5:
    case 6: return {.fork_per_client = true, .echo = false, .multicast = true, .authenticate = true};
    default: throw std::invalid_argument("stage " + std::to_string(stage) + " is not in 0..6");
    }
}

} // namespace papaya
