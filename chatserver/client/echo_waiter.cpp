#include "echo_waiter.hpp"

namespace papaya::client {

void EchoWaiter::sent(std::string line) { pending_.push_back(std::move(line)); }

void EchoWaiter::received(std::string_view line)
{
    if (!pending_.empty() && pending_.front() == line) pending_.pop_front();
}

} // namespace papaya::client
