// Diagnostic only (not part of the tool): an LD_PRELOAD shim that sets TCP_NODELAY on
// every socket the server accepts, to test whether Nagle's algorithm is what delays
// papayad's small pushed lines (goref gets TCP_NODELAY from Go's net package by default).
//   g++ -O2 -shared -fPIC -o /tmp/nodelay.so tools/bench/diag/nodelay_preload.cpp -ldl
//   papaya-bench run --server "env LD_PRELOAD=/tmp/nodelay.so <papayad>" ...   (see RESULTS.md)
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace {
void set_nodelay(int fd)
{
    if (fd < 0) return;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // fails harmlessly on non-TCP
}
} // namespace

extern "C" int accept4(int fd, sockaddr* addr, socklen_t* len, int flags)
{
    using Fn = int (*)(int, sockaddr*, socklen_t*, int);
    static const auto real = reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, "accept4"));
    const int c = real(fd, addr, len, flags);
    set_nodelay(c);
    return c;
}

extern "C" int accept(int fd, sockaddr* addr, socklen_t* len)
{
    using Fn = int (*)(int, sockaddr*, socklen_t*);
    static const auto real = reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, "accept"));
    const int c = real(fd, addr, len);
    set_nodelay(c);
    return c;
}
