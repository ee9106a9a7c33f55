#include "papaya/process/words.hpp"

#include <stdexcept>
#include <utility>

namespace papaya::process {

std::vector<std::string> split_words(std::string_view text)
{
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else if (quote == '"' && c == '\\' && i + 1 < text.size() &&
                       std::string_view{"\"\\$`"}.find(text[i + 1]) != std::string_view::npos) {
                word += text[++i];
            } else {
                word += c;
            }
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) words.push_back(std::exchange(word, {}));
            in_word = false;
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == '\\') {
            if (i + 1 == text.size()) throw std::invalid_argument("ends with a backslash: " + std::string(text));
            word += text[++i];
            in_word = true;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (quote != 0) throw std::invalid_argument("has an unterminated quote: " + std::string(text));
    if (in_word) words.push_back(std::move(word));
    return words;
}

bool list_contains(std::string_view list, char separator, std::string_view item)
{
    while (!list.empty()) {
        const auto end = list.find(separator);
        if (list.substr(0, end) == item) return true;
        if (end == std::string_view::npos) break;
        list.remove_prefix(end + 1);
    }
    return false;
}

std::string join_words(const std::vector<std::string>& words)
{
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
    return text;
}

} // namespace papaya::process
