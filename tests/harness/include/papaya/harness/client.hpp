#pragma once
/// @file
/// @brief A chat client for tests: every read has a deadline and a read that
/// times out fails the test, saying what was expected and what arrived.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "papaya/harness/deadline.hpp"
#include "papaya/unique_fd.hpp"

namespace papaya::harness {

/// Address family of the loopback address a Client connects to.
enum class Family {
    ipv4, ///< 127.0.0.1
    ipv6, ///< ::1
};

/// Default time a Client waits for expected bytes: 5 s times
/// PAPAYA_SETTLE_FACTOR (read once, when the program starts).
inline const std::chrono::milliseconds default_read_timeout = settle(std::chrono::milliseconds{5000});

/// One TCP connection to the server under test.
///
/// Bytes read are kept in a buffer: read_line() and read_exact() consume from
/// it, so data that arrived early is never lost. Failures throw HarnessFailure.
class Client {
public:
    /// Connects to the loopback address of @p family on @p port, then sends
    /// the configured_key() first when the run has one (authentication).
    /// @throws HarnessFailure when the connection is refused or times out.
    explicit Client(std::uint16_t port, Family family = Family::ipv4,
                    std::chrono::milliseconds timeout = default_read_timeout);

    /// The socket (for poll(2) over many clients).
    [[nodiscard]] int fd() const { return fd_.get(); }
    /// The server's port.
    [[nodiscard]] std::uint16_t port() const { return port_; }
    /// Our own (ephemeral) port: identifies the server's end in the TCP table.
    [[nodiscard]] std::uint16_t local_port() const { return local_port_; }

    /// Sets TCP_NODELAY, so that each send() leaves as its own segment.
    void set_nodelay(bool on);

    /// Sends all of @p bytes (short writes and EINTR handled, no SIGPIPE).
    /// @throws HarnessFailure when the connection fails.
    void send(std::string_view bytes);
    /// Like send() but reports a broken connection (EPIPE, ECONNRESET) by returning false.
    bool try_send(std::string_view bytes);
    /// Sends what the socket takes now without blocking; returns the byte count
    /// (0 when the buffer is full). For multiplexing many clients in one thread.
    std::size_t send_available(std::string_view bytes);

    /// Sends @p bytes in segments of the sizes in @p sizes (cycled), one send()
    /// each with TCP_NODELAY. Before each next segment it waits (up to
    /// @p per_segment_wait) until the server has read the previous one, as seen
    /// in the kernel's TCP table, so each segment reaches a separate read() of a
    /// server that reads what is available. Once a wait times out (a server that
    /// waits for all bytes at once), the remaining segments are sent without waiting.
    void send_segmented(std::string_view bytes, std::span<const std::size_t> sizes,
                        std::chrono::milliseconds per_segment_wait = std::chrono::milliseconds{200});

    /// Sends the 128-byte key, nothing else (authentication).
    void send_key(std::string_view key);

    /// Bytes the server's end has received and not yet read (from /proc/net/tcp),
    /// or -1 when its socket is not in the table.
    [[nodiscard]] long server_unread_bytes() const;

    /// Reads one line; returns it without its `\n`.
    /// @param timeout how long to wait for the rest of the line.
    /// @param expecting what the test expects, for the failure message.
    /// @throws HarnessFailure on timeout or when the server closes first.
    std::string read_line(std::chrono::milliseconds timeout = default_read_timeout,
                          std::string_view expecting = "a line");
    /// Reads exactly @p count bytes.
    /// @throws HarnessFailure on timeout or when the server closes first.
    std::string read_exact(std::size_t count, std::chrono::milliseconds timeout = default_read_timeout,
                           std::string_view expecting = {});
    /// Reads until the server closes (EOF or reset) or @p deadline passes.
    /// @param received if not null, gets every byte that arrived (buffered ones included).
    /// @return true when the server closed the connection.
    bool read_until_closed(Deadline deadline, std::string* received = nullptr);
    /// Fails unless the server closes the connection within @p within; unless
    /// @p allow_data, also fails when any byte arrives first.
    void expect_closed_within(std::chrono::milliseconds within, bool allow_data = false);
    /// Fails when any byte arrives within @p quiet (a bounded negative check).
    void expect_no_data_for(std::chrono::milliseconds quiet);

    /// Reads whatever is available now without blocking into the buffer.
    /// @return false once the server has closed the connection.
    bool receive_available();
    /// The bytes read and not yet consumed.
    [[nodiscard]] const std::string& buffered() const { return buffer_; }
    /// Removes and returns every complete line of the buffer (each with its `\n`).
    std::string take_complete_lines();
    /// True once EOF or a reset was seen.
    [[nodiscard]] bool closed_by_server() const { return eof_; }

    /// shutdown(SHUT_WR): the server sees end of stream, we can still read.
    void shutdown_write();
    /// Closes the connection now (the object then holds no socket).
    void close();

private:
    /// Waits up to @p deadline for bytes, appends them; false on timeout or EOF.
    bool fill(Deadline deadline);
    [[noreturn]] void fail_read(std::string_view what, std::chrono::milliseconds timeout, bool timed_out) const;

    papaya::UniqueFd fd_;
    std::uint16_t port_;
    std::uint16_t local_port_ = 0;
    std::string buffer_;
    bool eof_ = false;
};

} // namespace papaya::harness
