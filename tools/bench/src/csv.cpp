#include "csv.hpp"

#include <stdexcept>

namespace bench {

std::string csv_field(std::string_view s)
{
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text)
{
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    std::size_t line = 1, quote_line = 0;
    bool quoted = false, after_quote = false, any = false;
    const auto end_field = [&] {
        record.push_back(std::move(field));
        field.clear();
        after_quote = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
                after_quote = true;
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == ',') {
            end_field();
            any = true;
        } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
            if (c == '\r') ++i;
            end_field();
            records.push_back(std::move(record));
            record.clear();
            any = false;
            ++line;
        } else if (after_quote) {
            throw std::runtime_error("line " + std::to_string(line) + ": text after a closing quote");
        } else if (c == '"' && field.empty()) {
            quoted = true;
            quote_line = line;
            any = true;
        } else {
            field += c;
            any = true;
        }
    }
    if (quoted) throw std::runtime_error("line " + std::to_string(quote_line) + ": a quote is never closed");
    if (any) { // a last record without a line break
        end_field();
        records.push_back(std::move(record));
    }
    return records;
}

} // namespace bench
