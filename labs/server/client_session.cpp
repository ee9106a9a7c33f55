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

// TODO(lab 2): helpers for serve_client, if you want them

bool append_records(ChatLogWriter& log, const std::vector<std::string>& records, int client)
{
    todo(2, "append each record; on a full log (std::system_error), log it, stop and return false", log, records, client);
}

int serve_client(UniqueFd client, const SessionConfig& config)
{
    const int fd = client.get();
    if (config.features.echo) {
        echo_until_eof(fd);
        return 0;
    }
    todo(2, "(lab 4: authenticate first,) send the history (lab 3: start the SEND process instead), then append every complete line to the log");
}

} // namespace papaya
