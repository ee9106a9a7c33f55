#include "papaya/harness/tcp_table.hpp"

#include <charconv>
#include <sstream>
#include <string>
#include <string_view>

#include "papaya/harness/temp_dir.hpp"

namespace papaya::harness {

namespace {

template <typename T>
T parse_hex(std::string_view text)
{
    T value{};
    std::from_chars(text.data(), text.data() + text.size(), value, 16);
    return value;
}

std::uint16_t port_of(std::string_view address) // "0100007F:1E2A"
{
    const auto colon = address.rfind(':');
    return colon == std::string_view::npos ? 0 : parse_hex<std::uint16_t>(address.substr(colon + 1));
}

void read_table(const char* path, std::vector<TcpSocketEntry>& entries)
{
    std::istringstream lines{read_file(path)};
    std::string line;
    std::getline(lines, line); // header
    while (std::getline(lines, line)) {
        std::istringstream fields{line};
        std::string slot, local, remote, state, queues;
        if (!(fields >> slot >> local >> remote >> state >> queues)) continue;
        TcpSocketEntry entry;
        entry.local_port = port_of(local);
        entry.remote_port = port_of(remote);
        entry.state = static_cast<TcpState>(parse_hex<int>(state));
        const auto colon = queues.find(':');
        if (colon != std::string::npos) {
            const std::string_view q{queues};
            entry.tx_queue = parse_hex<std::size_t>(q.substr(0, colon));
            entry.rx_queue = parse_hex<std::size_t>(q.substr(colon + 1));
        }
        entries.push_back(entry);
    }
}

bool open_on_server_side(TcpState state)
{
    return state == TcpState::established || state == TcpState::syn_recv || state == TcpState::close_wait;
}

} // namespace

std::vector<TcpSocketEntry> read_tcp_table()
{
    std::vector<TcpSocketEntry> entries;
    read_table("/proc/net/tcp", entries);
    read_table("/proc/net/tcp6", entries);
    return entries;
}

std::optional<TcpSocketEntry> server_end(std::uint16_t server_port, std::uint16_t client_port)
{
    std::optional<TcpSocketEntry> found;
    for (const auto& entry : read_tcp_table()) {
        if (entry.local_port != server_port || entry.remote_port != client_port) continue;
        if (entry.state == TcpState::listen) continue;
        // An old TIME_WAIT entry may share the ports: prefer the open one.
        if (!found || open_on_server_side(entry.state)) found = entry;
    }
    return found;
}

bool server_end_closed(std::uint16_t server_port, std::uint16_t client_port)
{
    const auto entry = server_end(server_port, client_port);
    return !entry || !open_on_server_side(entry->state);
}

} // namespace papaya::harness
