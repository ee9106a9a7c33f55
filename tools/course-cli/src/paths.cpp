#include "paths.hpp"

namespace papaya::course {

Paths build_paths() { return Paths{PAPAYA_SOURCE_DIR, PAPAYA_BINARY_DIR, PAPAYA_GRADE_PROGRAM}; }

} // namespace papaya::course
