#pragma once
/// @file
/// @brief Where the course's files are: the source tree this program was built
/// from (its labs/, solutions/, .state/) and the build's own programs.

#include <filesystem>

namespace papaya::course {

struct Paths {
    std::filesystem::path root;  ///< The repository.
    std::filesystem::path build; ///< The build tree this program belongs to.
    std::filesystem::path grade; ///< papaya_grade in it.

    [[nodiscard]] std::filesystem::path student() const { return root / "labs" / "server"; }
    [[nodiscard]] std::filesystem::path solution() const { return root / "solutions" / "server"; }
    [[nodiscard]] std::filesystem::path state() const { return root / ".state"; }
};

/// The paths of this build (compiled in by tools/course-cli/CMakeLists.txt).
Paths build_paths();

} // namespace papaya::course
