#pragma once
// The command-line options `run` and `compare` share, and how they become a
// RunConfig. Stage facts (workload, key, the --stage range) come from the
// course's stage table (papaya/stages.hpp, generated from labs/stages.json).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "run.hpp"

namespace bench {

struct CommonOptions {
    std::string workload;
    int stage = -1;
    double rate = -1;
    double bandwidth = 0;
    std::size_t size = 64;
    double connect_rate = 300;
    double warmup = 2;
    double duration = 10;
    double drain = 5;
    double setup_timeout = 20;
    double tick_us = 1000;
    int interval_ms = 500;
    bool pin = false;
    bool key = false;
    bool no_key = false;
    bool no_cgroup = false;
    int nice = 0;
};

/// Declares the shared options on @p app, bound to @p options.
void add_common_options(CLI::App* app, CommonOptions& options);

/// The run configuration @p options describe, for the server command line
/// @p command (split like a shell: see papaya/process/words.hpp) named @p label
/// (default: the executable's name).
RunConfig make_config(const CommonOptions& options, const std::string& command, const std::string& label);

/// The stages grouped by a fact, for help texts: "echo for stages 0-1, append for 2, ..." from the table.
std::string stages_by(std::string_view (*fact)(int stage));

} // namespace bench
