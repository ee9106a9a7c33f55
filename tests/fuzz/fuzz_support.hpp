#pragma once
// What several fuzz targets share: a private temp directory that lives as
// long as the fuzzing process, and writing a file in it. libFuzzer calls a
// target millions of times in one process, so nothing here may leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace papaya::fuzz {

/// A directory made once per process (mkdtemp) and removed at exit.
const std::string& temp_dir();

/// Replaces @p path's contents with @p bytes, with the given mode.
void write_file(const std::string& path, std::string_view bytes, unsigned mode = 0600);

/// The whole contents of @p path ("" when it does not exist).
std::string read_file(const std::string& path);

/// The reference split of a client's byte stream (PROTOCOL.md "Client to
/// server"), written without looking at LineFramer: whole lines only, a
/// trailing `\r` stripped, empty lines and lines with a NUL dropped, and
/// nothing from the first line longer than @p max_line on. A trailing
/// unfinished line counts as overlong when no ending could make it valid.
struct ReferenceSplit {
    std::vector<std::string> records; ///< each ending in `\n`
    bool overlong = false;
};
ReferenceSplit reference_split(std::string_view bytes, std::size_t max_line);

} // namespace papaya::fuzz
