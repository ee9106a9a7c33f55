// Lab 4's timing probe of keys_equal, compiled by the suite against the
// student's auth_privileges.cpp (built alone into a shared library: the other
// functions of that file are never called, so what they need stays unbound).
// Prints the best time per call, in nanoseconds, of a compare whose keys
// differ in their first byte and of one whose keys differ in their last byte.
// The suite judges only their ratio: absolute times say nothing on a loaded
// machine, and the minimum of many repetitions drops every preempted one.
#include "papaya/auth_privileges.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

int main()
{
    papaya::Key key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<char>('a' + i % 26);
    std::string first(key.data(), key.size());
    std::string last = first;
    first.front() = '#';
    last.back() = '#';
    // Called through a volatile pointer: the compiler cannot hoist the call
    // out of the loop or assume anything about its result.
    bool (*volatile compare)(const papaya::Key&, std::string_view) noexcept = papaya::keys_equal;
    if (!compare(key, std::string_view(key.data(), key.size()))) {
        std::fprintf(stderr, "keys_equal(key, key) returned false\n");
        return 3;
    }
    constexpr int repetitions = 31;
    constexpr int calls = 20000;
    double best[2] = {1e12, 1e12};
    for (int rep = 0; rep < repetitions; ++rep) {
        for (int which = 0; which < 2; ++which) { // interleaved: a change of clock speed hits both
            const std::string_view probe = which == 0 ? first : last;
            int equal = 0;
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < calls; ++i) equal += compare(key, probe) ? 1 : 0;
            const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
            if (equal != 0) {
                std::fprintf(stderr, "keys_equal returned true for keys that differ in their %s byte\n",
                             which == 0 ? "first" : "last");
                return 3;
            }
            best[which] = std::min(best[which], took.count() / calls);
        }
    }
    std::printf("%.3f %.3f\n", best[0], best[1]);
    return 0;
}
