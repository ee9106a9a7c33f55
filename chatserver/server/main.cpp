// main() of every C++ chat server in this repository (papayad, the
// student's server): the order of start-up is the design. Everything that
// needs root happens first (open the log and the key, bind the port, write
// the pidfile); then root is dropped; then the service runs.
#include "papaya/accept_loop.hpp"
#include "papaya/auth_privileges.hpp"
#include "papaya/client_session.hpp"
#include "papaya/client_threads.hpp"
#include "papaya/daemon.hpp"
#include "papaya/event_loop.hpp"
#include "papaya/key_file.hpp"
#include "papaya/listener.hpp"
#include "papaya/multicast.hpp"
#include "papaya/ready.hpp"
#include "papaya/server_options.hpp"
#include "papaya/service_log.hpp"
#include "papaya/signals.hpp"
#include "papaya/stage.hpp"
#include "papaya/syscall_error.hpp"
#include "papaya/torn_tail.hpp"
#include "papaya/unique_fd.hpp"

#include <cerrno>
#include <csignal>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PAPAYA_PROGRAM_NAME
#define PAPAYA_PROGRAM_NAME "papayad"
#endif

namespace {

using namespace papaya;

std::optional<UserIds> service_user(const ServerOptions& options)
{
    if (options.user.empty()) {
        if (::geteuid() == 0 && !options.allow_root)
            throw std::runtime_error("refusing to run as root: pass --user NAME to drop to that user after "
                                     "start-up, or --allow-root if you really mean it");
        return std::nullopt;
    }
    const UserIds user = lookup_user(options.user);
    if (::geteuid() != 0) {
        if (::geteuid() == user.uid) return std::nullopt; // already that user
        throw std::runtime_error("--user " + options.user + " needs the server to be started as root");
    }
    return user;
}

/// Creates the log as root and hands it to the service user, who reopens it
/// in every client process.
void prepare_log(const std::string& path, const std::optional<UserIds>& user)
{
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
    if (!fd) throw_syscall_error("open", path);
    if (!user) return;
    struct stat status {};
    check_syscall(::fstat(fd.get(), &status), "fstat", path);
    if (status.st_uid != user->uid || status.st_gid != user->gid)
        check_syscall(::fchown(fd.get(), user->uid, user->gid), "fchown", path);
}

/// Serves clients with the stage's engine until SIGTERM.
void serve(Listener& listener, const SessionConfig& session, unsigned max_clients,
           const std::optional<SenderGroup>& senders)
{
    const StageFeatures& features = session.features;
    if (features.concurrent && features.engine == Engine::event_loop) {
        run_event_loop(listener, session, EventLoopConfig{.max_clients = max_clients});
        return;
    }
    if (features.concurrent && features.engine == Engine::threads) {
        // The acceptor runs "inline": starting a client's threads takes no time.
        ClientThreads threads(session, max_clients);
        run_accept_loop(
            listener,
            [&](UniqueFd client) {
                threads.serve(std::move(client));
                return 0;
            },
            AcceptLoopConfig{.fork_per_client = false, .max_clients = max_clients, .on_stop = [&] { threads.stop(); }});
        return;
    }
    run_accept_loop(
        listener, [&](UniqueFd client) { return serve_client(std::move(client), session); },
        AcceptLoopConfig{
            .fork_per_client = features.concurrent,
            .max_clients = max_clients,
            .on_stop =
                [&] {
                    if (senders) senders->terminate();
                },
        });
}

/// @p startup lives in main(), so that a start-up error is reported before
/// the process that started a daemon is told it failed.
int run(const ServerOptions& options, std::optional<DaemonStartup>& startup)
{
    const StageFeatures features = features_for_stage(options.stage);
    ignore_signal(SIGPIPE);
    // SIGUSR1 is meant for the SEND processes; a stray one must not end the acceptor.
    ignore_signal(SIGUSR1);
    // A write past RLIMIT_FSIZE then fails with EFBIG, which append() undoes,
    // instead of killing the writer with half a record written.
    ignore_signal(SIGXFSZ);
    const std::optional<UserIds> user = service_user(options);

    // Absolute paths: a daemon works from "/".
    const std::string log_path = std::filesystem::absolute(options.log).string();
    prepare_log(log_path, user);
    cut_torn_tail(log_path); // what a crash left: the first record must start at a line boundary
    std::optional<Key> key;
    if (!options.key_file.empty()) key = load_key_file(options.key_file);
    Listener listener = open_listener(options.bind, options.port);
    const std::string pidfile_path = options.pidfile.empty() ? std::string()
                                                             : std::filesystem::absolute(options.pidfile).string();

    if (options.daemon) startup.emplace(daemonize());
    std::optional<Pidfile> pidfile;
    if (!pidfile_path.empty()) pidfile.emplace(pidfile_path);
    if (user) drop_privileges(*user);

    std::optional<SenderGroup> senders;
    if (features.multicast && features.engine == Engine::processes) senders.emplace(SenderGroup::create());
    const SessionConfig session{
        .features = features,
        .log_path = log_path,
        .key = features.authenticate ? key : std::nullopt,
        .auth_timeout = std::chrono::milliseconds(options.auth_timeout_ms),
        .history = options.history,
        .max_line = options.max_line,
        .senders = senders ? &*senders : nullptr,
    };

    announce_ready(listener.port);
    if (startup) {
        startup->ready();
        log_to_syslog(PAPAYA_PROGRAM_NAME);
    }
    serve(listener, session, options.max_clients, senders);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    set_log_program_name(PAPAYA_PROGRAM_NAME);
    const ParsedOptions parsed =
        parse_server_options(argc, argv, PAPAYA_PROGRAM_NAME,
                             "papayaChat server: one process cluster per client (--stage 7: two threads per client, 8: "
                             "one event loop; see chatserver/PROTOCOL.md)",
                             std::cout, std::cerr);
    if (!parsed.options) return parsed.exit_code;
    std::optional<DaemonStartup> startup;
    try {
        return run(*parsed.options, startup);
    } catch (const std::exception& error) {
        log_message(LogLevel::error, error.what());
        return 1;
    }
}
