#include "papaya/harness/failure.hpp"

#include <cstdio>

namespace papaya::harness {

void fail(const std::string& message) { throw HarnessFailure(message); }

std::string printable(std::string_view bytes, std::size_t max_bytes)
{
    std::string out = "\"";
    for (const char c : bytes.substr(0, max_bytes)) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        default:
            if (u < 0x20 || u >= 0x7f) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02x", u);
                out += hex;
            } else {
                out += c;
            }
        }
    }
    out += '"';
    if (bytes.size() > max_bytes) out += " ... (" + std::to_string(bytes.size()) + " bytes in all)";
    return out;
}

} // namespace papaya::harness
