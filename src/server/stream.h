// A byte stream to one client: a plain socket, or TLS over it once the client asked for it. The session reads
// and writes through this interface only, so tests can drive it from memory. Owned by one thread at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace cdmlake::server {

class Stream {
 public:
  virtual ~Stream() = default;
  // Reads up to size bytes; returns how many (at least 1), or 0 at the end of the stream. Throws PgError
  // (08P01 / 08006) when the connection breaks.
  virtual size_t Read(void* data, size_t size) = 0;
  // Writes all bytes or throws PgError (08006) when the connection breaks.
  virtual void WriteAll(const void* data, size_t size) = 0;
  // True when the stream is encrypted (reported as ssl in pg_stat_ssl-like views and used for channel checks).
  virtual bool encrypted() const { return false; }
};

}  // namespace cdmlake::server
