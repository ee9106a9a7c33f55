#include "papaya/peer_text.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace papaya {

std::string peer_name(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) return "unknown peer";
    char text[INET6_ADDRSTRLEN] = "?";
    if (address.ss_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&address)->sin6_addr, text, sizeof text);
    else if (address.ss_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&address)->sin_addr, text, sizeof text);
    return text;
}

const char* describe(AuthResult result)
{
    switch (result) {
    case AuthResult::accepted: return "accepted";
    case AuthResult::wrong_key: return "wrong key";
    case AuthResult::timed_out: return "no key before the timeout";
    case AuthResult::closed: return "closed before sending the whole key";
    }
    return "?";
}

} // namespace papaya
