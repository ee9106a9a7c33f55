#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#include <cstddef>
#include <cstdint>
#include <string>

namespace bench {

class Progress {
public:
    explicit Progress(std::size_t total);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    /// Shows step @p done of total with @p what as the current activity.
    void update(std::size_t done, const std::string& what);
    /// Prints a line above the bar (a warning, a result).
    void note(const std::string& line);

private:
    void draw();
    std::size_t total_;
    std::size_t done_ = 0;
    std::string what_;
    bool tty_;
    std::int64_t start_ns_;
};

} // namespace bench
