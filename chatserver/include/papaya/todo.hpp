#pragma once
/// @file
/// @brief The starter's stubs: what a student has not written yet.

#include <stdexcept>
#include <string>
#include <string_view>

namespace papaya {

/// What a stub throws. The server reports it like any start-up or client
/// error, so an unfinished lab fails its tests at once instead of hanging them.
class NotImplemented : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

/// The lab folder of stage @p lab (e.g. "labs/00-blocking-echo"), or "labs"
/// for a number outside papaya::stages.
std::string lab_folder(int lab);

/// Marks the body of a function that lab @p lab asks the student to write.
/// @throws NotImplemented "TODO(lab N): <what> -- see labs/NN-slug/README.md".
[[noreturn]] void todo(int lab, std::string_view what);

/// The same, for a stub whose parameters are not used yet: passing them here
/// keeps the starter free of unused-parameter warnings.
template <class... Unused>
[[noreturn]] void todo(int lab, std::string_view what, const Unused&...)
{
    todo(lab, what);
}

} // namespace papaya
