#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

#include "clock.hpp"

namespace bench {

Progress::Progress(std::size_t total) : total_(total), tty_(::isatty(2) == 1), start_ns_(now_ns()) {}

Progress::~Progress()
{
    if (tty_) std::fputs("\r\033[K", stderr);
}

void Progress::update(std::size_t done, const std::string& what)
{
    done_ = done;
    what_ = what;
    if (tty_) draw();
    else std::fprintf(stderr, "papaya-bench: [%zu/%zu] %s\n", done_ + 1, total_, what_.c_str());
}

void Progress::note(const std::string& line)
{
    if (tty_) std::fputs("\r\033[K", stderr);
    std::fprintf(stderr, "%s\n", line.c_str());
    if (tty_) draw();
}

void Progress::draw()
{
    constexpr int width = 30;
    const int filled = total_ ? static_cast<int>(width * done_ / total_) : width;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '.');
    const double elapsed = static_cast<double>(now_ns() - start_ns_) / 1e9;
    const double eta = done_ ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_) : 0;
    std::fprintf(stderr, "\r\033[K[%s] %zu/%zu  eta %.0fs  %s", bar.c_str(), done_, total_, eta, what_.c_str());
    std::fflush(stderr);
}

} // namespace bench
