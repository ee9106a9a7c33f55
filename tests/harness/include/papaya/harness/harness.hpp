#pragma once
/// @file
/// @brief Everything of the black-box test harness in one include.

#include "papaya/harness/client.hpp"         // IWYU pragma: export
#include "papaya/harness/deadline.hpp"       // IWYU pragma: export
#include "papaya/harness/environment.hpp"    // IWYU pragma: export
#include "papaya/harness/failure.hpp"        // IWYU pragma: export
#include "papaya/harness/proc.hpp"           // IWYU pragma: export
#include "papaya/harness/server_process.hpp" // IWYU pragma: export
#include "papaya/harness/tcp_table.hpp"      // IWYU pragma: export
#include "papaya/harness/temp_dir.hpp"       // IWYU pragma: export
