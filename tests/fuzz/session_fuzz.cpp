// Fuzz target: a whole RECV session, the real serve_client() of the
// solution, over a socketpair against a chat log in a temp directory. The
// input is what one client sends (the key, then lines), ending at any point.
// Afterwards: with the right key the log holds its old lines plus the
// reference split of what followed the key, up to an overlong line, and the
// client got the history; with a wrong or short key nothing was appended
// and nothing sent.
#include "fuzz_support.hpp"
#include "papaya/client_session.hpp"
#include "papaya/service_log.hpp"
#include "papaya/stage.hpp"
#include "papaya/syscall_error.hpp"

#include <algorithm>
#include <cstdlib>
#include <fuzzer/FuzzedDataProvider.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

const std::string old_lines = "alice: first\nbob: second\ncarol: third\n";

papaya::Key the_key()
{
    papaya::Key key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[i % 36];
    return key;
}

// The last @p n lines of old_lines: the history a client gets.
std::string last_lines(unsigned n)
{
    const std::vector<std::string> lines{"alice: first\n", "bob: second\n", "carol: third\n"};
    std::string text;
    for (std::size_t i = lines.size() - std::min<std::size_t>(n, lines.size()); i < lines.size(); ++i) text += lines[i];
    return text;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    // The session's warnings (overlong line, wrong key) are expected here:
    // keep them off stderr, where libFuzzer and the sanitizers report.
    papaya::log_to_syslog("papaya-fuzz");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider input(data, size);
    const bool send_key = input.ConsumeBool();
    const auto max_line = input.ConsumeIntegralInRange<std::size_t>(1, 64);
    const auto history = input.ConsumeIntegralInRange<unsigned>(0, 4);
    const std::string after_key = input.ConsumeRemainingBytesAsString();
    const papaya::Key key = the_key();
    const std::string sent = send_key ? std::string(key.data(), key.size()) + after_key : after_key;

    const std::string log_path = papaya::fuzz::temp_dir() + "/chat.log";
    papaya::fuzz::write_file(log_path, old_lines);

    int pair[2];
    papaya::check_syscall(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), "socketpair");
    papaya::UniqueFd server_end(pair[0]);
    papaya::UniqueFd client_end(pair[1]);
    // libFuzzer's inputs are small (-max_len): they fit the socket's buffer,
    // so the client's side can be written whole before the session starts.
    if (::write(client_end.get(), sent.data(), sent.size()) != static_cast<ssize_t>(sent.size())) std::abort();
    papaya::check_syscall(::shutdown(client_end.get(), SHUT_WR), "shutdown");

    papaya::SessionConfig config;
    config.features = papaya::features_for_stage(4); // lab 4's session,
    config.features.multicast = false;               // without its SEND process
    config.log_path = log_path;
    config.key = key;
    config.auth_timeout = std::chrono::milliseconds(1000); // never reached: the input ends in EOF
    config.history = history;
    config.max_line = max_line;
    if (papaya::serve_client(std::move(server_end), config) != 0) std::abort();

    const std::string log = papaya::fuzz::read_file(log_path);
    std::string received;
    char buffer[4096];
    for (ssize_t n; (n = ::read(client_end.get(), buffer, sizeof buffer)) > 0;) received.append(buffer, n);

    const bool accepted = sent.size() >= key.size() && sent.compare(0, key.size(), key.data(), key.size()) == 0;
    if (!accepted) {
        if (log != old_lines || !received.empty()) std::abort();
        return 0;
    }
    std::string expected = old_lines;
    for (const auto& record : papaya::fuzz::reference_split(sent.substr(key.size()), max_line).records)
        expected += record;
    if (log != expected) std::abort();
    if (received != last_lines(history)) std::abort();
    return 0;
}
