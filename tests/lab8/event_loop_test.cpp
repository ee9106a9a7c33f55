// Lab 8: every client from one thread (--stage 8). One process with one
// thread whatever the number of clients; idle clients cost little memory; a
// client that never reads costs its offset in the log, not a queue, never
// slows the loop, and gets everything in order when it reads at last; a
// half-sent key blocks nobody; an idle loop sleeps. The contract itself
// (delivery, history, limits) is the integration suite's and lab 6's.
#include <gtest/gtest.h>

#include "chat_helpers.hpp"
#include "multiplex.hpp"
#include "papaya/grader/grader.hpp"
#include "papaya/grader/stop.hpp"
#include "papaya/harness/proc.hpp"
#include "papaya/process/limits.hpp"
#include "server_resources.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define PAPAYA_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PAPAYA_UNDER_ASAN 1
#endif
#endif

namespace papaya::lab8 {
namespace {

using namespace std::chrono_literals;
using grader::declare_points;
using grader::settle;
using grader::step;
using integration::Participant;
using integration::unique_line;

class Lab8 : public grader::StageTest {
protected:
    harness::TempDir files{"papaya-lab8"};
};

std::vector<harness::Client*> pointers(std::vector<harness::Client>& clients)
{
    std::vector<harness::Client*> out;
    for (auto& client : clients) out.push_back(&client);
    return out;
}

/// The server's memory, without counting what a sanitizer adds.
bool memory_is_measured()
{
#ifdef PAPAYA_UNDER_ASAN
    return false; // ASan's shadow memory and quarantine are not the server's
#else
    return true;
#endif
}

TEST_F(Lab8, OneThreadWhateverTheClients)
{
    declare_points(2, "One process, one thread: the loop accepts, reads, appends and writes for every client "
                      "itself; no fork, no thread.");
    PAPAYA_REQUIRE_CAPABILITY("engines", "counts the threads of a server whose --stage 8 is one event loop");
    start_server();
    step("connect 200 clients; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 200);
    const auto seen = integration::measure_resources(server());
    EXPECT_TRUE(seen.processes == 1 && seen.threads == 1)
        << "expected 1 process with 1 thread; the server has " << seen.describe();
    step("client 1 sends a line and all 200 receive it");
    integration::expect_delivered(clients[0], pointers(clients));
}

TEST_F(Lab8, TenThousandIdleClientsCostLittleMemory)
{
    declare_points(3, "A client is a small state machine (its key so far or its framer, its offset in the log), "
                      "not a buffer of its own: 10,000 idle clients must cost the server less than 4 KiB each.");
    PAPAYA_REQUIRE_CAPABILITY("engines", "bounds the memory of a server whose --stage 8 is one event loop");
    constexpr std::size_t idle = 10'000;
    if (process::raise_open_files_limit() < idle + 256)
        GTEST_SKIP() << "this machine's hard limit of open files is below " << idle + 256;
    start_server({"--max-clients", std::to_string(idle + 10)});
    step("connect client A; it sends a line and reads until it comes back");
    auto a = connect("client A");
    integration::expect_delivered(a, {&a});
    const auto before = integration::measure_resources(server());
    step("open " + std::to_string(idle) + " more connections that send nothing");
    std::vector<harness::Client> crowd;
    crowd.reserve(idle);
    for (std::size_t i = 0; i < idle; ++i) crowd.emplace_back(server().port());
    step("expect the server to hold them all (" + std::to_string(idle) + " more open descriptors) within " +
         std::to_string(settle(10s).count()) + " ms");
    integration::ServerResources after;
    const bool held = harness::poll_until(
        [&] {
            after = integration::measure_resources(server());
            return after.fds >= before.fds + idle;
        },
        harness::Deadline{settle(10s)});
    ASSERT_TRUE(held) << "the server holds " << after.fds << " descriptors, " << before.fds << " before the " << idle
                      << " connections";
    step("client A sends a line and receives it");
    integration::expect_delivered(a, {&a});
    if (!memory_is_measured()) return;
    const std::uint64_t per_client = (after.pss_bytes - std::min(after.pss_bytes, before.pss_bytes)) / idle;
    EXPECT_LT(per_client, 4096U) << "the server's memory (PSS) grew from " << before.pss_bytes / 1024 << " KiB to "
                                 << after.pss_bytes / 1024 << " KiB: " << per_client << " bytes per idle client";
}

TEST_F(Lab8, ClientThatNeverReadsIsBoundedAndCatchesUpInOrder)
{
    declare_points(4, "The log is the only backlog: a client that does not read stays at its offset (write until "
                      "EAGAIN, then EPOLLOUT), costs no memory, never blocks the loop, and when it reads at last "
                      "it gets every line, in order, from the log.");
    constexpr std::size_t lines = 40000; // 8 MB: far more than the socket buffers of client S hold
    start_server();
    step("connect a reader and a writer, and client S, which does not read for now");
    auto joined = integration::join_many(server().port(), 2);
    auto stopped = connect("client S");
    const auto before = integration::measure_resources(server());
    std::vector<Participant> everyone;
    everyone.emplace_back(std::move(joined[0]));
    everyone.emplace_back(std::move(joined[1]));
    std::vector<std::string> sent;
    for (std::size_t m = 0; m < lines; ++m) {
        sent.push_back(unique_line("w" + std::to_string(m), 200));
        everyone[1].outgoing += sent.back() + "\n";
    }
    step("the writer sends " + std::to_string(lines) +
         " lines of 200 bytes (8 MB) while it and the reader read; "
         "expect both to receive them all within " +
         std::to_string(settle(30s).count()) + " ms");
    integration::pump(everyone, {lines, lines}, harness::Deadline{settle(30s)});
    grader::expect_bytes(everyone[1].outgoing, everyone[0].received, "what the reader received");
    const auto behind = integration::measure_resources(server());
    if (memory_is_measured() && grader::has_capability("engines")) {
        step("expect the server's memory (PSS) to have grown by less than 2 MiB while client S is megabytes behind");
        EXPECT_LT(behind.pss_bytes, before.pss_bytes + 2 * 1024 * 1024)
            << "the server's memory grew from " << before.pss_bytes / 1024 << " KiB to " << behind.pss_bytes / 1024
            << " KiB: is there a queue per client?";
    }
    step("client S reads at last: expect its history (the others' first lines), then every line of the writer, "
         "in order");
    std::size_t got = 0;
    for (std::size_t history = 0; got == 0; ++history) {
        const std::string line = stopped.read_line(settle(5s), "its history, then the writer's first line");
        if (line == sent[0]) ++got;
        else ASSERT_LT(history, 7U) << "the writer's first line did not come after S's history of 7 lines";
    }
    for (; got < lines; ++got) {
        const std::string line = stopped.read_line(settle(5s), "line " + std::to_string(got + 1) + " of the writer's " +
                                                                   std::to_string(lines));
        ASSERT_EQ(line, sent[got]) << "line " << got + 1 << " of the writer's is missing or out of order";
    }
}

TEST_F(Lab8, HalfSentKeyBlocksNobody)
{
    declare_points(2, "Authentication is a state, not a blocking read: a client that sent half of its key waits "
                      "in its state while the loop serves everyone else, and completes it later.");
    const std::string key = harness::random_key();
    const auto key_file = harness::write_key_file(files, key, 0600);
    step("write a random key to " + key_file.string() + " (mode 0600)");
    start_server({"--key-file", key_file.string(), "--auth-timeout-ms", "10000"});
    auto half = connect("client K");
    step("client K sends the first 64 bytes of the key and waits");
    half.send(key.substr(0, 64));
    step("clients A and B join with the key; each sends a line and both receive it promptly");
    auto a = integration::join(server().port(), key);
    auto b = integration::join(server().port(), key);
    integration::sync(b, {&a, &b}); // both past the join lines
    integration::expect_delivered(a, {&a, &b});
    integration::expect_delivered(b, {&a, &b});
    step("client K sends the rest of the key and a line; all three receive it");
    half.send(key.substr(64));
    integration::sync(half, {&a, &b, &half}); // K past its history
    integration::expect_delivered(half, {&a, &b, &half});
}

TEST_F(Lab8, IdleLoopSleeps)
{
    declare_points(2, "With level-triggered epoll, a writable socket is reported at every epoll_wait: ask for "
                      "EPOLLOUT only while a client is behind, and drop it once it has caught up, or the idle loop "
                      "spins.");
    const auto log = files.write("chat.log", [] {
        std::string text;
        for (int i = 0; i < 7; ++i) text += unique_line("history" + std::to_string(i)) + "\n";
        return text;
    }());
    start_server({"--log", log.string()});
    step("connect 3 clients: each receives its 7 lines of history, then sends a line and reads until it "
         "comes back");
    auto clients = integration::join_many(server().port(), 3);
    integration::expect_delivered(clients[0], pointers(clients));
    step("nobody sends anything for 1 s: expect the server to use less than 100 ms of CPU meanwhile");
    const auto before = harness::cpu_time_ns(server().pid());
    harness::poll_until([] { return false; }, harness::Deadline{1s});
    const auto used = harness::cpu_time_ns(server().pid()) - before;
    EXPECT_LT(used, 100'000'000ULL) << "the idle server used " << used / 1'000'000 << " ms of CPU in 1 s";
}

TEST_F(Lab8, SigtermClosesEveryClient)
{
    declare_points(2, "SIGTERM and SIGINT come through a signalfd in the epoll set: the loop closes every client "
                      "and returns, and the server exits 0.");
    start_server();
    step("connect 4 clients; each sends a line and reads until it comes back");
    auto clients = integration::join_many(server().port(), 4);
    grader::expect_clean_stop(server(), clients);
}

} // namespace
} // namespace papaya::lab8
