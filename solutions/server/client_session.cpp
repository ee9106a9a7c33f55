// Lab 2: one client's session, in the client's own process (RECV). It reads
// the client's lines and appends them to the log; from lab 3 on its child
// (SEND, multicast.cpp) pushes the log to the client. Neither ever waits for
// the other, and neither waits for any other client.
#include "papaya/client_session.hpp"

#include "papaya/chat_log.hpp"
#include "papaya/connection_io.hpp"
#include "papaya/line_framer.hpp"
#include "papaya/peer_text.hpp"
#include "papaya/service_log.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/todo.hpp"

#include <array>
#include <cerrno>
#include <exception>
#include <unistd.h>

namespace papaya {

// @lab 2: helpers for serve_client, if you want them
namespace {

/// Before lab 3 there is no SEND process: the history is all a client gets.
void send_history(int client, const SessionConfig& config)
{
    ChatLogReader log(config.log_path);
    std::string history;
    // A long history comes in pieces (read_lines_from bounds each one).
    for (std::uint64_t offset = log.tail_offset(config.history);; history.clear()) {
        offset = log.read_lines_from(offset, history);
        if (history.empty() || !write_all(client, history)) return;
    }
}

} // namespace
// @end

bool append_records(ChatLogWriter& log, const std::vector<std::string>& records, int client)
{
    // @lab 2(log, records, client): append each record; on a full log (std::system_error), log it, stop and return false
    try {
        for (const auto& record : records) log.append(record);
        return true;
    } catch (const std::system_error& error) {
        log_message(LogLevel::error, "closing connection from " + peer_name(client) +
                                         ": its line could not be stored in the chat log: " + error.what());
        return false;
    }
    // @end
}

int serve_client(UniqueFd client, const SessionConfig& config)
{
    const int fd = client.get();
    if (config.features.echo) {
        echo_until_eof(fd);
        return 0;
    }
    // @lab 2: (lab 4: authenticate first,) send the history (lab 3: start the SEND process instead), then append every complete line to the log
    if (config.features.authenticate && config.key) {
        const AuthResult result = authenticate_client(fd, *config.key, config.auth_timeout);
        if (result != AuthResult::accepted) {
            log_message(LogLevel::warning, "authentication failed from " + peer_name(fd) + ": " + describe(result));
            return 0;
        }
    }

    // [slide: own_description]
    ChatLogWriter log(config.log_path); // this process's own open file description
    // [/slide]
    std::optional<SenderProcess> sender;
    if (config.features.multicast) sender.emplace(fd, *config.senders, config.log_path, config.history);
    else send_history(fd, config);

    // [slide: recv_loop]
    LineFramer framer(config.max_line);
    std::array<char, 16 * 1024> buffer{};
    for (;;) {
        const std::size_t n = read_some(fd, buffer);
        if (n == 0) break; // a partial line left in the framer is discarded
        const auto records = framer.feed(std::string_view(buffer.data(), n));
        const bool stored = append_records(log, records, fd);
        if (!records.empty() && sender) config.senders->notify();
        if (!stored) break;
        // [/slide]
        if (framer.overlong()) {
            log_message(LogLevel::warning, "closing connection from " + peer_name(fd) + ": line longer than " +
                                               std::to_string(config.max_line) + " bytes");
            break;
        }
    }
    return 0;
    // @end
}

} // namespace papaya
