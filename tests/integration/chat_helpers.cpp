#include "chat_helpers.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace papaya::integration {

using harness::fail;
using harness::printable;

std::string unique_line(std::string_view who, std::size_t min_length)
{
    std::string line = std::string(who) + "-" + harness::random_token(8) + ": text-" + harness::random_token(8);
    if (line.size() < min_length) line.append(min_length - line.size(), 'x');
    return line;
}

void expect_lines(Client& client, const std::vector<std::string>& lines, std::chrono::milliseconds timeout)
{
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string what = "line " + std::to_string(i + 1) + " of " + std::to_string(lines.size()) + ", " +
                                 printable(lines[i], 80);
        const std::string got = client.read_line(timeout, what);
        if (got != lines[i]) fail("expected " + what + " but received " + printable(got));
    }
}

std::vector<std::string> read_until_line(Client& client, std::string_view line, std::chrono::milliseconds timeout)
{
    const Deadline deadline{timeout};
    std::vector<std::string> before;
    for (;;) {
        std::string got = client.read_line(std::max(deadline.remaining(), std::chrono::milliseconds{1}),
                                           "the line " + printable(line, 80));
        if (got == line) return before;
        before.push_back(std::move(got));
    }
}

Client join(std::uint16_t port, std::string_view key, Family family, std::string* hello_out)
{
    Client client{port, family};
    if (!key.empty()) client.send_key(key);
    const std::string hello = unique_line("join");
    client.send(hello + "\n");
    read_until_line(client, hello);
    if (hello_out != nullptr) *hello_out = hello;
    return client;
}

std::vector<Client> join_many(std::uint16_t port, std::size_t count, std::string_view key, Family family)
{
    std::vector<Client> clients;
    for (std::size_t i = 0; i < count; ++i) clients.push_back(join(port, key, family));
    std::vector<Client*> everyone;
    for (auto& client : clients) everyone.push_back(&client);
    if (!clients.empty()) sync(clients.back(), everyone);
    return clients;
}

std::string sync(Client& from, const std::vector<Client*>& everyone)
{
    const std::string marker = unique_line("sync");
    from.send(marker + "\n");
    for (Client* client : everyone) read_until_line(*client, marker);
    return marker;
}

void expect_delivered(Client& from, const std::vector<Client*>& readers, std::string_view who)
{
    const std::string line = unique_line(who);
    from.send(line + "\n");
    for (Client* reader : readers) expect_lines(*reader, {line});
}

void expect_server_closed(std::uint16_t server_port, std::uint16_t client_port, std::chrono::milliseconds within)
{
    if (!harness::poll_until([&] { return harness::server_end_closed(server_port, client_port); }, Deadline{within})) {
        fail("the server did not close its end of the connection from client port " + std::to_string(client_port) +
             " within " + std::to_string(within.count()) + " ms");
    }
}

std::vector<std::string> log_lines(const std::filesystem::path& log)
{
    const std::string text = harness::read_file(log);
    if (!text.empty() && text.back() != '\n') {
        fail("the chat log " + log.string() +
             " ends with a partial record: " + printable(text.substr(text.rfind('\n') + 1)));
    }
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

void append_torn_record(const std::filesystem::path& log, std::string_view fragment)
{
    const UniqueFd fd(::open(log.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
    if (!fd || ::flock(fd.get(), LOCK_EX) != 0) fail("cannot open and lock the chat log " + log.string());
    if (::write(fd.get(), fragment.data(), fragment.size()) != static_cast<ssize_t>(fragment.size()))
        fail("cannot append to the chat log " + log.string());
} // closing the descriptor drops the lock

KeyedServer::KeyedServer(std::vector<std::string> args, std::string_view initial_log,
                         const harness::LaunchOptions& options)
    : key(harness::random_key()), log(dir.file("chat.log")),
      server(prepare(dir, key, log, initial_log, std::move(args)), options)
{
}

std::vector<std::string> KeyedServer::prepare(TempDir& dir, const std::string& key, const std::filesystem::path& log,
                                              std::string_view initial_log, std::vector<std::string> args)
{
    // 0711: a server that dropped to another user can reach the log by name.
    if (::chmod(dir.path().c_str(), 0711) != 0) fail("chmod " + dir.path().string() + " failed");
    const auto key_file = harness::write_key_file(dir, key);
    if (!initial_log.empty()) harness::write_file(log, initial_log, 0644);
    args.insert(args.begin(), {"--key-file", key_file.string(), "--log", log.string()});
    return args;
}

std::vector<harness::ProcStat> live_processes(ServerProcess& server)
{
    auto processes = server.processes();
    std::erase_if(processes, [](const harness::ProcStat& p) { return p.state == 'Z' || p.state == 'X'; });
    return processes;
}

} // namespace papaya::integration
