#pragma once
/// @file
/// @brief What the server does at each lab stage (`--stage N`), in one place.

#include <string>

namespace papaya {

/// The behaviours switched on at a stage (labs/stages.json says which, per stage).
struct StageFeatures {
    bool concurrent;   ///< Each client served concurrently, in its own process (else one at a time).
    bool echo;         ///< Bytes are echoed back instead of logged.
    bool multicast;    ///< A SEND process per client pushes new records.
    bool authenticate; ///< A configured key is required.
};

/// The features of stage @p stage, from papaya::stages (papaya/stages.hpp).
/// @throws std::invalid_argument for a stage the course does not have.
StageFeatures features_for_stage(int stage);

/// The choices of `--stage` in words, for help texts: "0 echo one client at a
/// time, 1 echo concurrently, ..., 4 to 6 key authentication". Consecutive
/// stages with the same features are one range, named by its first stage.
std::string describe_stage_choices();

/// The stages whose server authenticates, e.g. "4 to 6".
std::string authenticating_stages();

} // namespace papaya
