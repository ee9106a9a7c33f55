// papaya-join-burst: the connect-and-send burst counted over many runs.
// Each run starts the server afresh (a new key, a chat log of a few earlier
// lines), lets --clients clients connect and each send its key and one line
// at once (tests/integration/join_burst.hpp), and counts the clients whose own
// line never came back (PROTOCOL.md section 4 says: none) and the deliveries
// of the burst's lines (clients² when every client is registered before any
// line is appended; fewer is legal: lines appended before a client's offset
// are history, and only the last --history of them are sent).
// A harness program, like the tests: the server is PAPAYA_SERVER or --server.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>

#include "chat_helpers.hpp"
#include "join_burst.hpp"

namespace {

using namespace papaya;

struct Totals {
    std::size_t runs = 0;
    std::size_t runs_with_loss = 0;
    std::size_t lost = 0;
    std::size_t most_lost = 0;
    std::size_t deliveries = 0;
    std::size_t fewest_deliveries = SIZE_MAX;
    std::size_t violations = 0;
};

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"papaya-join-burst: clients connect and send one line at once; count own lines lost (see "
                 "tools/bench/README.md)"};
    std::string server;
    std::size_t runs = 100;
    std::size_t clients = 20;
    unsigned history = 7;
    std::size_t earlier = 10;
    bool verbose = false;
    app.add_option("--server", server, "the server command (default: PAPAYA_SERVER), e.g. \"goref --stage 6\"");
    app.add_option("--runs", runs, "runs, each with a fresh server")->check(CLI::Range(1, 10000));
    app.add_option("--clients", clients, "clients per burst")->check(CLI::Range(1, 500));
    app.add_option("--history", history, "the server's --history")->check(CLI::Range(0, 10000));
    app.add_option("--earlier-lines", earlier, "lines already in the chat log at start")->check(CLI::Range(0, 10000));
    app.add_flag("-v,--verbose", verbose, "one line per run");
    CLI11_PARSE(app, argc, argv);
    if (!server.empty()) ::setenv("PAPAYA_SERVER", server.c_str(), 1);

    std::string initial_log;
    for (std::size_t i = 1; i <= earlier; ++i) initial_log += "earlier: line " + std::to_string(i) + "\n";
    Totals totals;
    try {
        for (std::size_t run = 1; run <= runs; ++run) {
            integration::KeyedServer keyed({"--history", std::to_string(history)}, initial_log);
            const auto outcome = integration::join_burst(keyed.server.port(), keyed.log, clients, keyed.key,
                                                         harness::settle(std::chrono::seconds{10}));
            ++totals.runs;
            totals.lost += outcome.own_line_lost.size();
            totals.runs_with_loss += !outcome.own_line_lost.empty();
            totals.most_lost = std::max(totals.most_lost, outcome.own_line_lost.size());
            totals.deliveries += outcome.deliveries;
            totals.fewest_deliveries = std::min(totals.fewest_deliveries, outcome.deliveries);
            totals.violations += outcome.violations.size();
            if (verbose || !outcome.violations.empty()) {
                std::cout << "run " << run << ": own lines lost " << outcome.own_line_lost.size() << " of " << clients
                          << ", deliveries " << outcome.deliveries << " of " << clients * clients << "\n";
                for (const auto& problem : outcome.violations) std::cout << "  " << problem << "\n";
            }
        }
    } catch (const harness::HarnessFailure& failure) {
        std::cerr << "papaya-join-burst: run " << totals.runs + 1 << ": " << failure.what() << "\n";
        return 3;
    }
    std::cout << "server: " << std::getenv("PAPAYA_SERVER") << "\n" // set: every run started it
              << totals.runs << " runs of " << clients << " clients, --history " << history << ", " << earlier
              << " earlier lines in the log\n"
              << "clients whose own line never came back: " << totals.lost << " of " << totals.runs * clients << " (in "
              << totals.runs_with_loss << " runs; at most " << totals.most_lost << " in one run)\n"
              << "deliveries of the burst: " << totals.deliveries << " of " << totals.runs * clients * clients
              << " (fewest in one run: " << totals.fewest_deliveries << " of " << clients * clients << ")\n"
              << "other section 6 violations: " << totals.violations << "\n";
    return totals.lost == 0 && totals.violations == 0 ? 0 : 1;
}
