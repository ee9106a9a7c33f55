#pragma once
/// @file
/// @brief Everything a stage test uses, in one include.

#include "papaya/grader/bytes.hpp"    // IWYU pragma: export
#include "papaya/grader/fixture.hpp"  // IWYU pragma: export
#include "papaya/grader/record.hpp"   // IWYU pragma: export
#include "papaya/grader/settings.hpp" // IWYU pragma: export
#include "papaya/grader/transfer.hpp" // IWYU pragma: export
#include "papaya/harness/harness.hpp" // IWYU pragma: export
