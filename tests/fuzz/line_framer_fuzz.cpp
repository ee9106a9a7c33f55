// Fuzz target: the line framer (chatserver/lib/line_framer.cpp), the first
// code to see a client's bytes. The input picks max_line and cuts the rest
// into arbitrary segments; the records must equal a reference split of the
// same bytes, however segmented, and the framer never holds an overlong line.
#include "fuzz_support.hpp"
#include "papaya/line_framer.hpp"

#include <algorithm>
#include <cstdlib>
#include <fuzzer/FuzzedDataProvider.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FuzzedDataProvider input(data, size);
    const std::size_t max_line = input.ConsumeIntegralInRange<std::size_t>(1, 40);
    // The segment lengths come first, the stream is whatever is left.
    std::vector<std::size_t> cuts(input.ConsumeIntegralInRange<std::size_t>(0, 16));
    for (auto& cut : cuts) cut = input.ConsumeIntegralInRange<std::size_t>(0, 64);
    const std::string stream = input.ConsumeRemainingBytesAsString();

    papaya::LineFramer framer(max_line);
    std::vector<std::string> records;
    std::string_view rest = stream;
    for (std::size_t i = 0; !rest.empty(); ++i) {
        const std::size_t n = i < cuts.size() ? std::min(cuts[i], rest.size()) : rest.size();
        for (auto& record : framer.feed(rest.substr(0, n))) records.push_back(std::move(record));
        rest.remove_prefix(n);
        // Bounded memory: at most max_line bytes and a `\r` held back.
        if (framer.pending() > max_line + 1) std::abort();
    }
    const auto expected = papaya::fuzz::reference_split(stream, max_line);
    if (records != expected.records || framer.overlong() != expected.overlong) std::abort();
    for (const auto& record : records)
        if (record.size() > max_line + 1) std::abort();
    return 0;
}
