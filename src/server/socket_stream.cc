#include "server/socket_stream.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "server/pg_error.h"

namespace cdmlake::server {
namespace {

[[noreturn]] void ThrowSocketError(const char* what, int err) {
  std::string reason = (err == EAGAIN || err == EWOULDBLOCK) ? "timed out" : std::strerror(err);
  throw PgError(kConnectionFailure, std::string("could not ") + what + " the client connection: " + reason,
                Severity::kFatal);
}

}  // namespace

size_t SocketRead(int fd, void* data, size_t size) {
  for (;;) {
    ssize_t n = ::recv(fd, data, size, 0);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) ThrowSocketError("receive data from", errno);
  }
}

void SocketWriteAll(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowSocketError("send data to", errno);
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

}  // namespace cdmlake::server
