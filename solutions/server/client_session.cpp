// Labs 1 to 4: one client's process cluster. This process (RECV) reads the
// client's lines and appends them; its child (SEND) pushes the log to the
// client. Neither ever waits for the other, and neither waits for any
// other client.
#include "papaya/client_session.hpp"

#include "papaya/chat_log.hpp"
#include "papaya/connection_io.hpp"
#include "papaya/line_framer.hpp"
#include "papaya/service_log.hpp"
#include "papaya/signals.hpp"
#include "papaya/syscall_error.hpp"

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <csignal>
#include <exception>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace papaya {

namespace {

/// The SEND process, terminated and reaped when RECV is done.
class SenderProcess {
public:
    explicit SenderProcess(pid_t pid) : pid_(pid) {}
    ~SenderProcess()
    {
        ::kill(pid_, SIGTERM);
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    SenderProcess(const SenderProcess&) = delete;
    SenderProcess& operator=(const SenderProcess&) = delete;

private:
    pid_t pid_;
};

std::string peer_name(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) return "unknown peer";
    char text[INET6_ADDRSTRLEN] = "?";
    if (address.ss_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&address)->sin6_addr, text, sizeof text);
    else if (address.ss_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&address)->sin_addr, text, sizeof text);
    return text;
}

const char* describe(AuthResult result)
{
    switch (result) {
    case AuthResult::accepted: return "accepted";
    case AuthResult::wrong_key: return "wrong key";
    case AuthResult::timed_out: return "no key before the timeout";
    case AuthResult::closed: return "closed before sending the whole key";
    }
    return "?";
}

[[noreturn]] void run_send_role(int client, const SessionConfig& config)
{
    int status = 1;
    try {
        // A SEND process never outlives its RECV, even one killed with SIGKILL.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        // The acceptor ignores SIGUSR1, and an ignored signal is discarded
        // even while blocked: the SEND process needs it back to pend.
        reset_handler(SIGUSR1);
        config.senders->join(0);
        ChatLogReader log(config.log_path);
        run_sender(client, log, log.tail_offset(config.history));
        status = 0;
    } catch (const std::exception& error) {
        log_message(LogLevel::error, std::string("sender: ") + error.what());
    }
    _exit(status);
}

pid_t fork_sender(int client, const SessionConfig& config)
{
    // Blocked before fork: the child starts with SIGUSR1 blocked, so no
    // wakeup can arrive before it is ready to wait for one.
    block_wakeup_signal();
    const pid_t pid = check_syscall(::fork(), "fork");
    if (pid == 0) run_send_role(client, config);
    config.senders->join(pid);
    return pid;
}

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

int serve_client(UniqueFd client, const SessionConfig& config)
{
    const int fd = client.get();
    if (config.features.echo) {
        echo_until_eof(fd);
        return 0;
    }
    if (config.features.authenticate && config.key) {
        const AuthResult result = authenticate_client(fd, *config.key, config.auth_timeout);
        if (result != AuthResult::accepted) {
            log_message(LogLevel::warning, "authentication failed from " + peer_name(fd) + ": " + describe(result));
            return 0;
        }
    }

    ChatLogWriter log(config.log_path);  // this process's own open file description
    std::optional<SenderProcess> sender;
    if (config.features.multicast)
        sender.emplace(fork_sender(fd, config));
    else
        send_history(fd, config);

    LineFramer framer(config.max_line);
    std::array<char, 16 * 1024> buffer{};
    for (;;) {
        const std::size_t n = read_some(fd, buffer);
        if (n == 0) break;  // a partial line left in the framer is discarded
        const auto records = framer.feed(std::string_view(buffer.data(), n));
        for (const auto& record : records) log.append(record);
        if (!records.empty() && sender) config.senders->notify();
        if (framer.overlong()) {
            log_message(LogLevel::warning, "closing connection from " + peer_name(fd) + ": line longer than " +
                                               std::to_string(config.max_line) + " bytes");
            break;
        }
    }
    return 0;
}

} // namespace papaya
