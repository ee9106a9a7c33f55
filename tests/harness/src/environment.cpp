#include "papaya/harness/environment.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "papaya/harness/failure.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/process/words.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::harness {

std::vector<std::string> split_shell_words(std::string_view text)
{
    try {
        return process::split_words(text);
    } catch (const std::invalid_argument& e) {
        fail("PAPAYA_SERVER " + std::string(e.what()));
    }
}

std::vector<std::string> server_command()
{
    const char* value = std::getenv("PAPAYA_SERVER");
    std::vector<std::string> words = value != nullptr ? split_shell_words(value) : std::vector<std::string>{};
    if (words.empty()) {
        fail("PAPAYA_SERVER is not set: set it to the command that starts the server under test, "
             "e.g. PAPAYA_SERVER=/path/to/papayad or PAPAYA_SERVER='/path/to/goref --stage 6' "
             "(ctest sets it for the integration tests)");
    }
    return words;
}

ServerKind server_kind()
{
    const char* value = std::getenv("PAPAYA_SERVER_KIND");
    const std::string_view kind = value != nullptr ? value : "";
    if (kind.empty() || kind == "processes") return ServerKind::processes;
    if (kind == "goroutines") return ServerKind::goroutines;
    if (kind == "threads") return ServerKind::threads;
    if (kind == "event-loop") return ServerKind::event_loop;
    fail("PAPAYA_SERVER_KIND must be \"processes\", \"goroutines\", \"threads\" or \"event-loop\", not \"" +
         std::string(kind) + "\"");
}

std::optional<std::string> configured_key()
{
    const char* value = std::getenv("PAPAYA_AUTH_KEY");
    if (value == nullptr || *value == '\0') return std::nullopt;
    const std::string key{value};
    if (key.size() != key_length) {
        fail("PAPAYA_AUTH_KEY must be the " + std::to_string(key_length) + "-byte key, not " +
             std::to_string(key.size()) + " bytes");
    }
    return key;
}

bool running_as_root() { return ::geteuid() == 0; }

bool ipv6_loopback_available()
{
    const papaya::UniqueFd fd{::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (!fd) return false;
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    return ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

} // namespace papaya::harness
