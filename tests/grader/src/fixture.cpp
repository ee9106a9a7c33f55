#include "papaya/grader/fixture.hpp"

#include "papaya/grader/record.hpp"
#include "papaya/grader/settings.hpp"

namespace papaya::grader {

using namespace std::chrono_literals;

harness::ServerProcess& StageTest::start_server(std::vector<std::string> args, harness::LaunchOptions options)
{
    if (server_) return *server_;
    if (has_capability("stage-flag")) {
        args.insert(args.begin(), std::to_string(server_stage()));
        args.insert(args.begin(), "--stage");
    }
    options.ready_timeout = settle(10s);
    std::string shown;
    for (const auto& word : harness::server_command()) shown += word + " ";
    for (const auto& word : args) shown += word + " ";
    const bool keyed = harness::configured_key().has_value();
    const int number = step("start the server: " + shown + "(plus --port 0 --log <temp dir>/chat.log" +
                            (keyed ? " --key-file <temp dir>/key; every client sends the key first)" : ")") +
                            (options.file_size_limit ? ", with a file size limit (RLIMIT_FSIZE) of " +
                                                           std::to_string(*options.file_size_limit) + " bytes"
                                                     : ""));
    server_ = std::make_unique<harness::ServerProcess>(std::move(args), options);
    std::string argv;
    for (const auto& word : server_->argv()) argv += (argv.empty() ? "" : " ") + word;
    current_test().server_command = argv;
    current_test().steps[static_cast<std::size_t>(number - 1)] += " -> listening on port " +
                                                                  std::to_string(server_->port()) + ", pid " +
                                                                  std::to_string(server_->pid());
    return *server_;
}

harness::ServerProcess& StageTest::server()
{
    if (!server_) throw std::logic_error("start_server() first");
    return *server_;
}

harness::Client StageTest::connect(std::string_view who)
{
    const auto port = server().port();
    step("connect " + std::string(who) + " to 127.0.0.1:" + std::to_string(port));
    return harness::Client{port, harness::Family::ipv4, settle(5s)};
}

void StageTest::TearDown()
{
    if (server_ && HasFailure()) current_test().server_stderr = server_->stderr_text();
    server_.reset();
}

} // namespace papaya::grader
