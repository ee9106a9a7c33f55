#pragma once
/// @file
/// @brief What the server does at each lab stage (`--stage N`), in one place.

namespace papaya {

/// The behaviours switched on at a stage; see labs/README.md for the table.
struct StageFeatures {
    bool fork_per_client;  ///< 1+: each client in its own process (0: one client at a time).
    bool echo;             ///< 0-1: bytes are echoed back instead of logged.
    bool multicast;        ///< 3+: a SEND process per client pushes new records.
    bool authenticate;     ///< 4+: a configured key is required.
};

/// The features of lab stage @p stage (0..6).
/// @throws std::invalid_argument for a stage outside 0..6.
StageFeatures features_for_stage(int stage);

} // namespace papaya
