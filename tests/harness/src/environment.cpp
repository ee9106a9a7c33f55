#include "papaya/harness/environment.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <utility>

#include "papaya/harness/failure.hpp"
#include "papaya/harness/temp_dir.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::harness {

std::vector<std::string> split_shell_words(std::string_view text)
{
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else if (quote == '"' && c == '\\' && i + 1 < text.size()
                       && std::string_view{"\"\\$`"}.find(text[i + 1]) != std::string_view::npos) {
                word += text[++i];
            } else {
                word += c;
            }
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) words.push_back(std::exchange(word, {}));
            in_word = false;
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == '\\') {
            if (i + 1 == text.size()) fail("PAPAYA_SERVER ends with a backslash: " + std::string(text));
            word += text[++i];
            in_word = true;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (quote != 0) fail("PAPAYA_SERVER has an unterminated quote: " + std::string(text));
    if (in_word) words.push_back(std::move(word));
    return words;
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
    fail("PAPAYA_SERVER_KIND must be \"processes\" or \"goroutines\", not \"" + std::string(kind) + "\"");
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

bool running_as_root()
{
    return ::geteuid() == 0;
}

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
