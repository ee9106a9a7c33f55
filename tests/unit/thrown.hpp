#pragma once
// Test helper: what a piece of code throws.

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace papaya::test {

// The Error that @p run throws; nullopt, and a failure of the test, when it
// throws none.
template <typename Error, typename Run>
std::optional<Error> thrown(Run run)
{
    try {
        run();
    } catch (const Error& error) {
        return error;
    }
    ADD_FAILURE() << "nothing was thrown";
    return std::nullopt;
}

// The what() of the Error that @p run throws ("" when none).
template <typename Error, typename Run>
std::string message_of(Run run)
{
    const std::optional<Error> error = thrown<Error>(run);
    return error ? error->what() : "";
}

} // namespace papaya::test
