#pragma once
// How the generator side runs next to the server: pinned to a cpu of its own,
// at a priority of its own. Guards, so every way out of a run restores them.

namespace bench {

/// Pins the calling thread to @p cpu (when >= 0) for the guard's lifetime;
/// afterwards the thread may run on every online cpu again.
class CpuPin {
public:
    /// @throws std::system_error naming sched_setaffinity.
    explicit CpuPin(int cpu);
    ~CpuPin();
    CpuPin(const CpuPin&) = delete;
    CpuPin& operator=(const CpuPin&) = delete;

private:
    bool pinned_ = false;
};

/// Gives the calling thread (Linux: priorities are per thread; threads it
/// starts inherit it) and its session's autogroup the priority @p nice when
/// it is not 0; the thread's old priority comes back on scope exit. A priority
/// we may not take (not root) is not worth failing the run for: it is skipped.
class Niceness {
public:
    /// @throws std::system_error naming setpriority for errors other than EACCES/EPERM.
    explicit Niceness(int nice);
    ~Niceness();
    Niceness(const Niceness&) = delete;
    Niceness& operator=(const Niceness&) = delete;

private:
    int old_ = 0;
    bool changed_ = false;
};

} // namespace bench
