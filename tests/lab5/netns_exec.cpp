// papaya_lab5_netns COMMAND [ARG...]: runs COMMAND in a new network namespace
// whose loopback is up and whose net.ipv6.bindv6only is 1 (FreeBSD's default),
// so a listener that relies on the default accepts IPv6 only. The namespace
// has no name: it ends with the last process in it, nothing to clean up.
// Needs CAP_SYS_ADMIN (root). Exit 1 (with a message) when it cannot set up.
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace {

int fail(const char* what)
{
    std::fprintf(stderr, "papaya_lab5_netns: %s: %s\n", what, std::strerror(errno));
    return 1;
}

bool bring_loopback_up()
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    ifreq request{};
    std::memcpy(request.ifr_name, "lo", 3);
    bool ok = ::ioctl(fd, SIOCGIFFLAGS, &request) == 0;
    if (ok) {
        request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
        ok = ::ioctl(fd, SIOCSIFFLAGS, &request) == 0;
    }
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

bool set_bindv6only()
{
    const int fd = ::open("/proc/sys/net/ipv6/bindv6only", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, "1\n", 2) == 2;
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: papaya_lab5_netns COMMAND [ARG...]\n");
        return 2;
    }
    if (::unshare(CLONE_NEWNET) != 0) return fail("unshare(CLONE_NEWNET)");
    if (!bring_loopback_up()) return fail("bringing lo up (SIOCSIFFLAGS)");
    if (!set_bindv6only()) return fail("writing 1 to /proc/sys/net/ipv6/bindv6only");
    ::execvp(argv[1], argv + 1);
    return fail(argv[1]);
}
