#include "server/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <cerrno>
#include <cstring>

#include "server/pg_error.h"
#include "server/socket_stream.h"
#include "util/error.h"
#include "util/file_system.h"

namespace cdmlake::server {
namespace {

// ---- a socket BIO that sends with MSG_NOSIGNAL ----
//
// OpenSSL's own socket BIO writes with write(2), which raises SIGPIPE when the client has gone. Ours uses
// send(MSG_NOSIGNAL), retries EINTR, and keeps errno for the error message. It never asks OpenSSL to retry: the
// socket is blocking, so EAGAIN only comes from a timeout, which must end the connection rather than spin.

struct SocketBioState {
  int fd = -1;
  int last_errno = 0;
  bool eof = false;  // recv returned 0; OpenSSL asks (BIO_eof) to tell a clean end from an error
};

SocketBioState* StateOf(BIO* bio) { return static_cast<SocketBioState*>(BIO_get_data(bio)); }

int SocketBioCreate(BIO* bio) {
  BIO_set_data(bio, new SocketBioState);
  BIO_set_init(bio, 1);
  return 1;
}

int SocketBioDestroy(BIO* bio) {
  delete StateOf(bio);
  BIO_set_data(bio, nullptr);
  return 1;
}

int SocketBioRead(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  SocketBioState* state = StateOf(bio);
  for (;;) {
    ssize_t n = ::recv(state->fd, data, static_cast<size_t>(size), 0);
    if (n >= 0) {
      state->eof = n == 0 && size > 0;
      return static_cast<int>(n);
    }
    if (errno != EINTR) {
      state->last_errno = errno;
      return -1;
    }
  }
}

int SocketBioWrite(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  SocketBioState* state = StateOf(bio);
  for (;;) {
    ssize_t n = ::send(state->fd, data, static_cast<size_t>(size), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<int>(n);
    if (errno != EINTR) {
      state->last_errno = errno;
      return -1;
    }
  }
}

long SocketBioCtrl(BIO* bio, int command, long, void*) {
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_EOF:
      return StateOf(bio)->eof ? 1 : 0;
    default:
      return 0;
  }
}

BIO_METHOD* SocketBioMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "cdmlake socket");
    if (m == nullptr || BIO_meth_set_create(m, SocketBioCreate) != 1 ||
        BIO_meth_set_destroy(m, SocketBioDestroy) != 1 || BIO_meth_set_read(m, SocketBioRead) != 1 ||
        BIO_meth_set_write(m, SocketBioWrite) != 1 || BIO_meth_set_ctrl(m, SocketBioCtrl) != 1) {
      throw Error(ErrorKind::kInternal, "cannot create an OpenSSL BIO method");
    }
    return m;
  }();
  return method;
}

// ---- error text ----

// The oldest OpenSSL error of this thread, for messages; clears the queue.
std::string OpenSslReason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  const char* reason = ERR_reason_error_string(code);
  if (reason != nullptr) return reason;
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

// Why an SSL_* call failed, after SSL_get_error said `error`.
std::string IoFailureReason(SSL* ssl, int error) {
  if (error == SSL_ERROR_SYSCALL) {
    ERR_clear_error();
    SocketBioState* state = StateOf(SSL_get_rbio(ssl));
    int err = state != nullptr ? state->last_errno : 0;
    if (err == 0) return "EOF detected";
    return err == EAGAIN || err == EWOULDBLOCK ? "timed out" : std::strerror(err);
  }
  if (error == SSL_ERROR_ZERO_RETURN) return "EOF detected";  // the client hung up (PostgreSQL says the same)
  return OpenSslReason();
}

// ---- the stream ----

class TlsStream : public Stream {
 public:
  explicit TlsStream(SSL* ssl) : ssl_(ssl) {}
  ~TlsStream() override {
    // Tell the client we are done (close_notify) without waiting for its answer; after a fatal error OpenSSL
    // forbids SSL_shutdown.
    if (!broken_) {
      ERR_clear_error();
      SSL_shutdown(ssl_);
      ERR_clear_error();
    }
    SSL_free(ssl_);
  }
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  size_t Read(void* data, size_t size) override {
    for (;;) {
      ERR_clear_error();
      size_t n = 0;
      int rc = SSL_read_ex(ssl_, data, size, &n);
      if (rc == 1) return n;
      int error = SSL_get_error(ssl_, rc);
      if (error == SSL_ERROR_ZERO_RETURN) return 0;  // close_notify, or EOF (SSL_OP_IGNORE_UNEXPECTED_EOF)
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) continue;  // a non-data record
      Fail("receive data from", error);
    }
  }

  void WriteAll(const void* data, size_t size) override {
    const auto* p = static_cast<const char*>(data);
    while (size > 0) {
      ERR_clear_error();
      size_t n = 0;
      int rc = SSL_write_ex(ssl_, p, size, &n);
      if (rc == 1) {
        p += n;
        size -= n;
        continue;
      }
      int error = SSL_get_error(ssl_, rc);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) continue;
      Fail("send data to", error);
    }
  }

  bool encrypted() const override { return true; }

 private:
  [[noreturn]] void Fail(const char* what, int error) {
    broken_ = true;
    throw PgError(kConnectionFailure,
                  std::string("could not ") + what + " the client connection: SSL error: " +
                      IoFailureReason(ssl_, error),
                  Severity::kFatal);
  }

  SSL* ssl_;
  bool broken_ = false;
};

// ---- loading ----

int NoPassword(char*, int, int, void*) { return 0; }  // never prompt on the terminal for a key passphrase

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* offered,
               unsigned int offered_length, void*) {
  static const unsigned char kPostgresql[] = "\x0apostgresql";
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kPostgresql, sizeof kPostgresql - 1, offered, offered_length) ==
      OPENSSL_NPN_NEGOTIATED) {
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
  }
  return SSL_TLSEXT_ERR_NOACK;  // a client that offers other protocols only still gets TLS, without ALPN
}

std::string ReadForTls(const std::string& path, const char* what) {
  try {
    return DefaultFileSystem()->ReadFile(path);
  } catch (const Error& e) {
    throw Error(ErrorKind::kUser, std::string("cannot read the TLS ") + what + " file: " + e.message(),
                Location{path});
  }
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr MemoryBio(const std::string& text) {
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) throw Error(ErrorKind::kInternal, "cannot create an OpenSSL memory BIO");
  return bio;
}

void UseCertificateChain(SSL_CTX* ctx, const std::string& cert_file) {
  std::string text = ReadForTls(cert_file, "certificate");
  BioPtr bio = MemoryBio(text);
  ERR_clear_error();
  X509* leaf = PEM_read_bio_X509_AUX(bio.get(), nullptr, NoPassword, nullptr);
  if (leaf == nullptr) {
    throw Error(ErrorKind::kUser, "no PEM certificate in the TLS certificate file (" + OpenSslReason() + ")",
                Location{cert_file}, "expected \"-----BEGIN CERTIFICATE-----\"");
  }
  int ok = SSL_CTX_use_certificate(ctx, leaf);
  X509_free(leaf);
  if (ok != 1) {
    throw Error(ErrorKind::kUser, "unusable TLS certificate: " + OpenSslReason(), Location{cert_file});
  }
  // Intermediate certificates follow the server's own, as in PostgreSQL's ssl_cert_file.
  for (;;) {
    X509* extra = PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr);
    if (extra == nullptr) break;
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) {
      X509_free(extra);
      throw Error(ErrorKind::kUser, "unusable intermediate certificate: " + OpenSslReason(), Location{cert_file});
    }
  }
  unsigned long last = ERR_peek_last_error();
  if (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE) {
    throw Error(ErrorKind::kUser, "bad certificate after the first one: " + OpenSslReason(), Location{cert_file});
  }
  ERR_clear_error();
}

void UsePrivateKey(SSL_CTX* ctx, const std::string& key_file, const std::string& cert_file) {
  std::string text = ReadForTls(key_file, "key");
  BioPtr bio = MemoryBio(text);
  ERR_clear_error();
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr);
  OPENSSL_cleanse(text.data(), text.size());
  if (key == nullptr) {
    throw Error(ErrorKind::kUser, "no usable PEM private key in the TLS key file (" + OpenSslReason() + ")",
                Location{key_file}, "the key must be PEM and not protected by a passphrase");
  }
  int ok = SSL_CTX_use_PrivateKey(ctx, key);
  EVP_PKEY_free(key);
  if (ok != 1) {
    bool mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
    std::string reason = OpenSslReason();
    if (mismatch) {
      throw Error(ErrorKind::kUser, "the TLS private key does not match the certificate " + cert_file,
                  Location{key_file});
    }
    throw Error(ErrorKind::kUser, "unusable TLS private key: " + reason, Location{key_file});
  }
}

}  // namespace

std::unique_ptr<TlsContext> TlsContext::Load(const std::string& cert_file, const std::string& key_file) {
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) throw Error(ErrorKind::kInternal, "cannot create an OpenSSL context: " + OpenSslReason());
  std::unique_ptr<TlsContext> out(new TlsContext(ctx));
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES") != 1) {
    throw Error(ErrorKind::kInternal, "cannot configure OpenSSL: " + OpenSslReason());
  }
  // No renegotiation, no compression (CRIME), no session resumption (each connection authenticates anyway, and
  // tickets would need a key shared across restarts); EOF without close_notify is an ordinary end of stream,
  // as for a plain socket.
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                               SSL_OP_NO_TICKET | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);
  SSL_CTX_set_default_passwd_cb(ctx, NoPassword);

  UseCertificateChain(ctx, cert_file);
  UsePrivateKey(ctx, key_file, cert_file);
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    throw Error(ErrorKind::kUser, "the TLS private key does not match the certificate " + cert_file,
                Location{key_file});
  }
  return out;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

std::unique_ptr<Stream> TlsContext::Accept(int socket_fd) {
  ERR_clear_error();
  SSL* ssl = SSL_new(ctx_);
  BIO* bio = ssl != nullptr ? BIO_new(SocketBioMethod()) : nullptr;
  if (bio == nullptr) {
    SSL_free(ssl);
    throw PgError(sqlstate::kProtocolViolation, "could not initialize SSL connection: " + OpenSslReason(),
                  Severity::kFatal);
  }
  StateOf(bio)->fd = socket_fd;
  SSL_set_bio(ssl, bio, bio);  // ssl owns bio now
  for (;;) {
    ERR_clear_error();
    int rc = SSL_accept(ssl);
    if (rc == 1) break;
    int error = SSL_get_error(ssl, rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) continue;
    std::string reason = IoFailureReason(ssl, error);
    SSL_free(ssl);
    throw PgError(sqlstate::kProtocolViolation, "could not accept SSL connection: " + reason, Severity::kFatal);
  }
  return std::make_unique<TlsStream>(ssl);
}

}  // namespace cdmlake::server
