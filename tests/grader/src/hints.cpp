#include "papaya/grader/hints.hpp"

#include <array>

namespace papaya::grader {

namespace {

/// The rest of the line of @p text that starts at @p at.
std::string_view line_from(std::string_view text, std::size_t at)
{
    const auto end = text.find('\n', at);
    return text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
}

/// An errno text next to a call that never fails with it: the classic
/// `if (ready < 0) { reap(); if (errno != EINTR) ... }`, where waitpid()
/// in between leaves ECHILD.
struct ForeignErrno {
    std::string_view call;  // as the server names it: "ppoll: "
    std::string_view error; // strerror() text it cannot come from
};
constexpr std::array foreign_errnos{
    ForeignErrno{"ppoll: ", "No child processes"},        ForeignErrno{"poll: ", "No child processes"},
    ForeignErrno{"accept: ", "No child processes"},       ForeignErrno{"accept4: ", "No child processes"},
    ForeignErrno{"sigtimedwait: ", "No child processes"}, ForeignErrno{"sigwaitinfo: ", "No child processes"},
};

} // namespace

std::optional<std::string> hint_from_stderr(std::string_view server_stderr)
{
    if (const auto at = server_stderr.find("TODO(lab "); at != std::string_view::npos)
        return "Your server stopped at a part that is not written yet: " + std::string(line_from(server_stderr, at)) +
               ". Write that body first; this test needs it.";
    for (const auto& foreign : foreign_errnos) {
        const auto at = server_stderr.find(std::string(foreign.call) + std::string(foreign.error));
        if (at == std::string_view::npos) continue;
        const std::string call(foreign.call.substr(0, foreign.call.size() - 2));
        return "Your server reported \"" + std::string(line_from(server_stderr, at)) + "\", but " + call +
               "(2) never fails with \"" + std::string(foreign.error) +
               "\": errno was overwritten between the "
               "failing call and its check (waitpid() in reap() sets ECHILD once no child is left). Save errno "
               "right after the call (const int error = errno;) and test that copy.";
    }
    return std::nullopt;
}

} // namespace papaya::grader
