#pragma once
/// @file
/// @brief Temporary directories, files and test data, from papaya_process
/// (papaya/process/temp_dir.hpp), under the harness's names.

#include "papaya/process/temp_dir.hpp"

namespace papaya::harness {

using process::append_file;
using process::key_length;
using process::random_key;
using process::random_token;
using process::read_file;
using process::TempDir;
using process::write_file;
using process::write_key_file;

} // namespace papaya::harness
