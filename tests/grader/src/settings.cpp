#include "papaya/grader/settings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <utility>

#include "papaya/grader/stage_rules.hpp"
#include "papaya/harness/deadline.hpp"
#include "papaya/harness/environment.hpp"

namespace papaya::grader {

namespace {

int suite_stage_value = -1;

std::string env_or(const char* name, std::string fallback)
{
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : std::move(fallback);
}

/// FNV-1a: a hash that is the same on every platform and compiler (std::hash is not).
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 1469598103934665603ULL)
{
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

/// A word of the shell command line, quoted when it needs to be.
std::string shell_quote(std::string_view word)
{
    if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                "-_./:=,+@%") == std::string_view::npos)
        return std::string(word);
    std::string out = "'";
    for (const char c : word) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

} // namespace

std::uint64_t seed()
{
    const std::string text = env_or("PAPAYA_SEED", "");
    if (text.empty()) throw std::runtime_error("PAPAYA_SEED is not set (the suite's main() sets it)");
    return std::stoull(text);
}

std::mt19937_64 test_rng()
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info != nullptr ? std::string(info->test_suite_name()) + "." + info->name() : "";
    std::seed_seq sequence{static_cast<std::uint32_t>(seed()), static_cast<std::uint32_t>(seed() >> 32),
                           static_cast<std::uint32_t>(fnv1a(name)), static_cast<std::uint32_t>(fnv1a(name) >> 32)};
    return std::mt19937_64(sequence);
}

std::string random_bytes(std::mt19937_64& rng, std::size_t count)
{
    std::string out(count, '\0');
    for (std::size_t i = 0; i < count; i += 8) {
        std::uint64_t word = rng();
        for (std::size_t j = i; j < std::min(count, i + 8); ++j, word >>= 8) out[j] = static_cast<char>(word & 0xff);
    }
    return out;
}

double settle_factor() { return harness::settle_factor(); }

std::chrono::milliseconds settle(std::chrono::milliseconds base) { return harness::settle(base); }

bool has_capability(std::string_view capability)
{
    std::string caps = env_or("PAPAYA_TARGET_CAPS", "");
    std::replace(caps.begin(), caps.end(), ',', ' ');
    for (const auto& word : harness::split_shell_words(caps))
        if (word == capability) return true;
    return false;
}

int suite_stage() { return suite_stage_value; }

void set_suite_stage(int stage) { suite_stage_value = stage; }

int server_stage()
{
    const int stage = suite_stage();
    // A suite runs keyed only when its own stage does not authenticate (stage_rules.hpp).
    return harness::configured_key() && stage < keyed_server_stage() ? keyed_server_stage() : stage;
}

std::string rerun_command(std::string_view test_name)
{
    const std::string stage = env_or("PAPAYA_GRADE_STAGE", std::to_string(suite_stage()));
    std::string target = env_or("PAPAYA_TARGET", "");
    if (target.empty()) target = "cmd:" + env_or("PAPAYA_SERVER", "?");
    std::string out = "tools/course grade " + stage + " --target " + shell_quote(target) + " --seed " +
                      std::to_string(seed()) + " --only " + std::string(test_name);
    const std::string factor = env_or("PAPAYA_SETTLE_FACTOR", "");
    if (!factor.empty()) out = "PAPAYA_SETTLE_FACTOR=" + shell_quote(factor) + " " + out;
    return out;
}

} // namespace papaya::grader
