// The plain (unencrypted) Stream over a connected socket, and the socket primitives the TLS stream shares.
//
// A SocketStream does not own its file descriptor: the connection's owner keeps the socket, because the same
// descriptor first carries the plain startup packets and may then be handed to TlsContext::Accept after an
// SSLRequest. The owner closes it after every stream over it is gone.
//
// Thread-safety: a SocketStream is used by one thread at a time (as every Stream). Writes never raise SIGPIPE
// (MSG_NOSIGNAL), so a client that disconnects cannot kill the server.
#pragma once

#include <cstddef>

#include "server/stream.h"

namespace cdmlake::server {

// SQLSTATE connection_failure: the socket broke (reset, timeout); the session ends without an answer.
inline constexpr const char* kConnectionFailure = "08006";

// recv() retried on EINTR. Returns the byte count (0 at the end of the stream); throws PgError 08006 on an error,
// including a receive timeout (SO_RCVTIMEO). size must be > 0.
size_t SocketRead(int fd, void* data, size_t size);
// send(..., MSG_NOSIGNAL) until every byte is written, retried on EINTR; throws PgError 08006 on an error
// (EPIPE and ECONNRESET when the peer is gone, a send timeout).
void SocketWriteAll(int fd, const void* data, size_t size);

class SocketStream : public Stream {
 public:
  // fd: a connected stream socket in blocking mode, not owned (see above).
  explicit SocketStream(int fd) : fd_(fd) {}

  size_t Read(void* data, size_t size) override { return SocketRead(fd_, data, size); }
  void WriteAll(const void* data, size_t size) override { SocketWriteAll(fd_, data, size); }
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace cdmlake::server
