#include "keyed_stage_test.hpp"

#include <sys/stat.h>

namespace papaya::lab4 {

using namespace std::chrono_literals;

Lab4::Lab4() : log(dir.file("chat.log"))
{
    // 0711: a server that dropped to another user can still open the log by name.
    if (::chmod(dir.path().c_str(), 0711) != 0) harness::fail("chmod " + dir.path().string() + " failed");
}

std::filesystem::path Lab4::write_key(mode_t mode)
{
    key = harness::random_key();
    return harness::write_key_file(dir, key, mode);
}

harness::ServerProcess& Lab4::start_keyed_server(std::vector<std::string> args)
{
    const auto key_file = write_key();
    grader::step("write a random 128-character key to " + key_file.string() + " (mode 0600)");
    args.insert(args.begin(), {"--key-file", key_file.string(), "--log", log.string()});
    return start_server(std::move(args));
}

harness::ServerProcess& Lab4::launch(std::vector<std::string> args, harness::LaunchOptions options)
{
    launched_.reset(); // a test may launch several servers, one after the other
    if (grader::has_capability("stage-flag"))
        args.insert(args.begin(), {"--stage", std::to_string(grader::suite_stage())});
    options.ready_timeout = grader::settle(10s);
    std::string shown;
    for (const auto& word : harness::server_command()) shown += word + " ";
    for (const auto& word : args) shown += word + " ";
    grader::step("start the server: " + shown + "(plus --port 0)");
    launched_ = std::make_unique<harness::ServerProcess>(std::move(args), options);
    std::string argv;
    for (const auto& word : launched_->argv()) argv += (argv.empty() ? "" : " ") + word;
    grader::current_test().server_command = argv;
    return *launched_;
}

void Lab4::TearDown()
{
    if (launched_ && HasFailure()) grader::current_test().server_stderr = launched_->stderr_text();
    launched_.reset();
    StageTest::TearDown();
}

} // namespace papaya::lab4
