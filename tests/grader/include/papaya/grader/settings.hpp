#pragma once
/// @file
/// @brief The run's settings every stage test reads from its environment:
/// seed, settle factor, the target's capabilities, the rerun command.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace papaya::grader {

/// The run's seed: PAPAYA_SEED, or one drawn (and exported) by the suite's main().
std::uint64_t seed();

/// A generator for the running test, derived from seed() and the test's full
/// name only, so `--only <test>` with the same seed replays the same bytes.
std::mt19937_64 test_rng();

/// @p count random bytes (all 256 values) from @p rng.
std::string random_bytes(std::mt19937_64& rng, std::size_t count);

/// PAPAYA_SETTLE_FACTOR (default 1, at least 1): how much slower than an
/// ordinary machine this one may be (harness::settle_factor()).
double settle_factor();

/// @p base scaled by settle_factor(): every deadline of a stage test goes
/// through it, as the harness's own default deadlines do (harness::settle()).
std::chrono::milliseconds settle(std::chrono::milliseconds base);

/// True when the target has @p capability (PAPAYA_TARGET_CAPS, words separated
/// by blanks or commas): "processes", "setuid", "stage-flag".
bool has_capability(std::string_view capability);

/// The stage this suite grades (set by the suite's main()).
int suite_stage();
/// Sets suite_stage() (the suite's main() does, once).
void set_suite_stage(int stage);

/// The `--stage` the suite's server runs with (with the "stage-flag"
/// capability): suite_stage(), except that a suite run with a key
/// (harness::configured_key(): a keyed regression, stage_rules.hpp) runs at
/// keyed_server_stage(), the first stage that authenticates, as below it a
/// server ignores its key (PROTOCOL.md sections 1 and 3).
int server_stage();

/// The command that reruns only @p test_name with this run's seed and target.
std::string rerun_command(std::string_view test_name);

} // namespace papaya::grader

/// In a stage test: reports the test as not applicable ("N/A", counted neither
/// as passed nor in the total) unless the target has @p capability.
/// Usage: `PAPAYA_REQUIRE_CAPABILITY("processes", "counts the server's child processes");`
#define PAPAYA_REQUIRE_CAPABILITY(capability, why)                                                                     \
    if (::papaya::grader::has_capability(capability)) {                                                                \
    } else GTEST_SKIP() << "not applicable: " << (why) << " (the target lacks \"" << (capability) << "\")"
