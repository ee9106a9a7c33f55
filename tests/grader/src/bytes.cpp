#include "papaya/grader/bytes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace papaya::grader {

namespace {

/// Bytes shown on each side of the first difference.
constexpr std::size_t context_bytes = 20;

std::string escape_byte(char c)
{
    switch (c) {
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\\': return "\\\\";
    default: break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", u);
        return hex;
    }
    return std::string(1, c);
}

/// The escaped window [from, to) of @p bytes, with "..." where it is cut;
/// @p caret_column gets the column of byte @p mark within the result.
std::string window(std::string_view bytes, std::size_t from, std::size_t to, std::size_t mark,
                   std::size_t* caret_column)
{
    std::string out = from > 0 ? "..." : "";
    for (std::size_t i = from; i < to && i < bytes.size(); ++i) {
        if (i == mark && caret_column != nullptr) *caret_column = out.size();
        out += escape_byte(bytes[i]);
    }
    if (mark >= bytes.size() && caret_column != nullptr) *caret_column = out.size();
    if (to < bytes.size()) out += "...";
    else out += "<end>";
    return out;
}

} // namespace

std::string escaped(std::string_view bytes)
{
    std::string out;
    for (const char c : bytes) out += escape_byte(c);
    return out;
}

std::string describe_difference(std::string_view expected, std::string_view got)
{
    if (expected == got) return {};
    const auto mismatch = std::mismatch(expected.begin(), expected.end(), got.begin(), got.end());
    const auto at = static_cast<std::size_t>(mismatch.first - expected.begin());
    const std::size_t from = at > context_bytes ? at - context_bytes : 0;
    const std::size_t to = at + context_bytes;
    std::size_t column = 0;
    const std::string want = window(expected, from, to, at, &column);
    const std::string came = window(got, from, to, at, nullptr);
    std::string out = "expected " + std::to_string(expected.size()) + " bytes, got " + std::to_string(got.size()) +
                      "; first difference at byte " + std::to_string(at) + " (bytes " + std::to_string(from) +
                      ".. shown, escaped):\n";
    out += "  expected: " + want + "\n";
    out += "  got:      " + came + "\n";
    out += "            " + std::string(column, ' ') + "^";
    return out;
}

bool expect_bytes(std::string_view expected, std::string_view got, std::string_view what)
{
    const std::string difference = describe_difference(expected, got);
    if (difference.empty()) return true;
    ADD_FAILURE() << what << ": " << difference;
    return false;
}

} // namespace papaya::grader
