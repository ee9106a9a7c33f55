#pragma once
/// @file
/// @brief Driving many clients from one thread with poll(2): each sends its
/// outgoing bytes while reading, so full socket buffers never deadlock a test.

#include <cstddef>
#include <string>
#include <vector>

#include "chat_helpers.hpp"

namespace papaya::integration {

/// One client of a multiplexed run.
struct Participant {
    explicit Participant(Client c) : client(std::move(c)) {}
    Client client;         ///< Its connection.
    std::string outgoing;  ///< Bytes to send.
    std::size_t sent = 0;  ///< How many of them are sent.
    std::string received;  ///< Complete lines received during the run.
    std::size_t lines = 0; ///< Number of lines in received.
};

/// Sends every participant's outgoing bytes and reads until participant i has
/// received @p expected_lines[i] lines; fails on a closed connection or at
/// @p deadline, with each participant's progress.
void pump(std::vector<Participant>& everyone, const std::vector<std::size_t>& expected_lines, Deadline deadline);

} // namespace papaya::integration
