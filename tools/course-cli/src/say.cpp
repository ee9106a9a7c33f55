#include "say.hpp"

#include <cstdio>

namespace papaya::course {

void say(std::string_view text) { std::fprintf(stderr, "course: %.*s\n", static_cast<int>(text.size()), text.data()); }

} // namespace papaya::course
