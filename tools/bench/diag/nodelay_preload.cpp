// Diagnostic only (not part of the tool): an LD_PRELOAD shim that forces TCP_NODELAY on or off
// on every socket the server accepts, to measure what Nagle's algorithm does to papayad's small
// pushed lines. papayad sets TCP_NODELAY itself since commit 6b9fb2a (as Go's net package does
// by default), so the "before" variant needs the option forced *off*:
//   PAPAYA_NODELAY=0  accepted sockets keep Nagle on; the server's own setsockopt(TCP_NODELAY)
//                     is rewritten to 0 (papayad as it was before 6b9fb2a)
//   PAPAYA_NODELAY=1  (default) TCP_NODELAY set on every accepted socket (how the fix was tested)
//   g++ -O2 -shared -fPIC -o /tmp/nodelay.so tools/bench/diag/nodelay_preload.cpp -ldl
//   papaya-bench run --server "env LD_PRELOAD=/tmp/nodelay.so PAPAYA_NODELAY=0 <papayad>" ...
// (tools/bench/run-experiments nagle; RESULTS.md section 2)
#include <cstdlib>
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace {
int forced_value()
{
    const char* v = std::getenv("PAPAYA_NODELAY");
    return (v != nullptr && v[0] == '0') ? 0 : 1;
}

using SetsockoptFn = int (*)(int, int, int, const void*, socklen_t);

SetsockoptFn real_setsockopt()
{
    static const auto real = reinterpret_cast<SetsockoptFn>(::dlsym(RTLD_NEXT, "setsockopt"));
    return real;
}

void force_nodelay(int fd)
{
    if (fd < 0) return;
    const int value = forced_value();
    real_setsockopt()(fd, IPPROTO_TCP, TCP_NODELAY, &value, sizeof value); // fails harmlessly on non-TCP
}
} // namespace

extern "C" int setsockopt(int fd, int level, int name, const void* value, socklen_t len)
{
    if (level == IPPROTO_TCP && name == TCP_NODELAY) {
        const int forced = forced_value();
        return real_setsockopt()(fd, level, name, &forced, sizeof forced);
    }
    return real_setsockopt()(fd, level, name, value, len);
}

extern "C" int accept4(int fd, sockaddr* addr, socklen_t* len, int flags)
{
    using Fn = int (*)(int, sockaddr*, socklen_t*, int);
    static const auto real = reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, "accept4"));
    const int c = real(fd, addr, len, flags);
    force_nodelay(c);
    return c;
}

extern "C" int accept(int fd, sockaddr* addr, socklen_t* len)
{
    using Fn = int (*)(int, sockaddr*, socklen_t*);
    static const auto real = reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, "accept"));
    const int c = real(fd, addr, len);
    force_nodelay(c);
    return c;
}
