#include "recorded_path.hpp"

#include <system_error>

namespace bench {

namespace fs = std::filesystem;

namespace {

// Absolute, with symlinks resolved as far as the path exists, so that the root
// found and the directory are spelt the same way before one is taken from the other.
fs::path normalised(const fs::path& p)
{
    std::error_code ec;
    fs::path out = fs::weakly_canonical(fs::absolute(p), ec);
    if (ec) out = fs::absolute(p).lexically_normal();
    // "dir/" names the same directory as "dir".
    return out.has_filename() ? out : out.parent_path();
}

} // namespace

std::optional<fs::path> repository_root(const fs::path& dir)
{
    for (fs::path p = normalised(dir);; p = p.parent_path()) {
        std::error_code ec;
        if (fs::exists(p / ".git", ec)) return p;
        if (p == p.root_path() || p.empty()) return std::nullopt;
    }
}

std::string recorded_path(const fs::path& dir)
{
    const auto root = repository_root(dir);
    if (!root) return ".";
    const fs::path rel = normalised(dir).lexically_relative(*root);
    return rel.empty() ? "." : rel.string();
}

} // namespace bench
