// main() of every lab's suite (compiled into each with PAPAYA_SUITE_STAGE).
// Two modes: under ctest it keeps GoogleTest's printer and adds the failure
// details; run by the grade runner (PAPAYA_GRADE_STAGE set) it prints the grade report.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>
#include <string>

#include "papaya/grader/listener.hpp"
#include "papaya/grader/settings.hpp"
#include "papaya/grader/targets.hpp"
#include "papaya/harness/proc.hpp"

#ifndef PAPAYA_SUITE_STAGE
#error "PAPAYA_SUITE_STAGE must be the stage this suite grades"
#endif

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    papaya::grader::set_suite_stage(PAPAYA_SUITE_STAGE);
    const char* grade_stage = std::getenv("PAPAYA_GRADE_STAGE");
    const bool grading = grade_stage != nullptr && *grade_stage != '\0';
    try {
        // PAPAYA_TARGET names the server (ctest sets only this one variable);
        // without it, PAPAYA_SERVER and PAPAYA_TARGET_CAPS are used as they are.
        const char* target = std::getenv("PAPAYA_TARGET");
        if (target != nullptr && *target != '\0') {
            papaya::grader::export_target(papaya::grader::resolve_target(target, papaya::grader::load_grader_config()));
        }
        const char* seed = std::getenv("PAPAYA_SEED");
        if (seed == nullptr || *seed == '\0') {
            const std::string drawn = std::to_string(std::random_device{}() % 1000000000u);
            ::setenv("PAPAYA_SEED", drawn.c_str(), 1);
        }
        papaya::harness::become_child_subreaper();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "grader: %s\n", error.what());
        return 2;
    }
    if (!grading) {
        std::printf("papaya lab%d suite, seed %s (PAPAYA_SEED=%s repeats it), server: %s\n", PAPAYA_SUITE_STAGE,
                    std::getenv("PAPAYA_SEED"), std::getenv("PAPAYA_SEED"),
                    std::getenv("PAPAYA_SERVER") != nullptr ? std::getenv("PAPAYA_SERVER") : "(PAPAYA_SERVER unset)");
    }

    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    if (grading) delete listeners.Release(listeners.default_result_printer());
    const char* results = std::getenv("PAPAYA_RESULTS_FILE");
    listeners.Append(new papaya::grader::GradeListener(grading, results != nullptr ? results : ""));
    return RUN_ALL_TESTS();
}
