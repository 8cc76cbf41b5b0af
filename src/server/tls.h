// TLS for client connections (`cdmlake serve --tls-cert F --tls-key F`), through OpenSSL.
//
// A TlsContext holds the server certificate chain and private key. After the session has read an SSLRequest and
// answered 'S', it calls Accept on the socket: the server handshake runs there, and the returned Stream carries
// the rest of the connection encrypted. Only TLS 1.2 and 1.3 are accepted, with the server's cipher preference
// and without renegotiation; the ALPN protocol "postgresql" is selected when a client offers it (libpq 17 does,
// and requires it for sslnegotiation=direct).
//
// The caller must make sure it has not read beyond the SSLRequest packet before Accept: bytes a client sent
// unencrypted after it must not be taken as part of the encrypted session (CVE-2021-23214 in PostgreSQL).
//
// Thread-safety: a loaded TlsContext is immutable; Accept may be called from many threads at once. Each Stream
// it returns belongs to one thread at a time. The TLS stream writes with MSG_NOSIGNAL (no SIGPIPE).
#pragma once

#include <memory>
#include <string>

#include "server/stream.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace cdmlake::server {

class TlsContext {
 public:
  // Reads a PEM certificate file (the server certificate first, then any intermediate certificates) and a PEM
  // private key file (unencrypted). Throws cdmlake::Error kUser naming the file when it cannot be read or does
  // not hold a certificate / key, or naming both when the key does not belong to the certificate.
  static std::unique_ptr<TlsContext> Load(const std::string& cert_file, const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Runs the server handshake on a connected blocking socket (not owned: the caller closes it after the stream
  // is destroyed). Returns the encrypted stream (encrypted() == true); its destructor sends close_notify when
  // it can. Throws PgError 08P01 (FATAL) when the handshake fails: no common protocol version or cipher, a
  // client that does not speak TLS, a broken connection.
  std::unique_ptr<Stream> Accept(int socket_fd);

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

}  // namespace cdmlake::server
