#pragma once
/// @file
/// @brief What the server does at each lab stage (`--stage N`), in one place.

#include <string>

namespace papaya {

/// What serves concurrent clients: the engine of a stage.
enum class Engine {
    processes,  ///< A process cluster per client (labs 1-6).
    threads,    ///< A RECV and a SEND thread per client (lab 7).
    event_loop, ///< One thread and epoll for every client (lab 8).
};

/// The behaviours switched on at a stage (labs/stages.json says which, per stage).
struct StageFeatures {
    bool concurrent;   ///< Clients served concurrently (else one at a time, in the acceptor).
    bool echo;         ///< Bytes are echoed back instead of logged.
    bool multicast;    ///< Each client is pushed new records as they are appended.
    bool authenticate; ///< A configured key is required.
    Engine engine;     ///< What serves the clients when they are served concurrently.
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
