#include "server/tls.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "server/pg_error.h"
#include "server/socket_stream.h"
#include "util/error.h"

namespace cdmlake::server {
namespace {

// ---- an in-memory self-signed certificate ----

std::string KeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

std::string CertPem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

EVP_PKEY* NewKey() { return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); }

X509* SelfSigned(EVP_PKEY* key, const char* common_name) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600L * 24 * 365);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  return cert;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cdmlake_tls_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    key_ = NewKey();
    ASSERT_NE(key_, nullptr);
    cert_ = SelfSigned(key_, "localhost");
    cert_file_ = Write("server.crt", CertPem(cert_));
    key_file_ = Write("server.key", KeyPem(key_));
  }
  void TearDown() override {
    X509_free(cert_);
    EVP_PKEY_free(key_);
    std::filesystem::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Loads the context expecting a kUser error that names `file` and contains `text`.
  void ExpectLoadError(const std::string& cert, const std::string& key, const std::string& file,
                       const std::string& text) {
    try {
      TlsContext::Load(cert, key);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUser);
      EXPECT_EQ(e.location().file, file) << e.what();
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  }

  // A client SSL_CTX that trusts our certificate and checks the host name.
  SSL_CTX* ClientContext() {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), cert_);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    return ctx;
  }

  std::filesystem::path dir_;
  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
  std::string cert_file_, key_file_;
};

struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair() {
    Close(0);
    Close(1);
  }
  void Close(int i) {
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
  }
  int fds[2] = {-1, -1};
};

// Reads exactly n bytes from a client SSL.
std::string ClientRead(SSL* ssl, size_t n) {
  std::string out;
  char buffer[16384];
  while (out.size() < n) {
    int got = SSL_read(ssl, buffer, static_cast<int>(std::min(sizeof buffer, n - out.size())));
    if (got <= 0) break;
    out.append(buffer, static_cast<size_t>(got));
  }
  return out;
}

// Reads exactly n bytes from the server stream.
std::string ServerRead(Stream& stream, size_t n) {
  std::string out;
  char buffer[16384];
  while (out.size() < n) {
    size_t got = stream.Read(buffer, std::min(sizeof buffer, n - out.size()));
    if (got == 0) break;
    out.append(buffer, got);
  }
  return out;
}

TEST_F(TlsTest, LoadReportsBadFiles) {
  EXPECT_NE(TlsContext::Load(cert_file_, key_file_), nullptr);
  std::string missing = (dir_ / "missing.pem").string();
  ExpectLoadError(missing, key_file_, missing, "cannot read the TLS certificate file");
  ExpectLoadError(cert_file_, missing, missing, "cannot read the TLS key file");
  std::string garbage = Write("garbage.pem", "not a certificate\n");
  ExpectLoadError(garbage, key_file_, garbage, "no PEM certificate");
  ExpectLoadError(cert_file_, garbage, garbage, "no usable PEM private key");
  ExpectLoadError(key_file_, key_file_, key_file_, "no PEM certificate");  // key given as certificate

  EVP_PKEY* other = NewKey();
  std::string other_file = Write("other.key", KeyPem(other));
  EVP_PKEY_free(other);
  ExpectLoadError(cert_file_, other_file, other_file, "does not match the certificate");

  // A passphrase-protected key is refused without prompting on the terminal.
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PKCS8PrivateKey(bio, key_, EVP_aes_256_cbc(), nullptr, 0, nullptr, const_cast<char*>("pass"));
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string encrypted = Write("encrypted.key", std::string(data, static_cast<size_t>(n)));
  BIO_free(bio);
  ExpectLoadError(cert_file_, encrypted, encrypted, "passphrase");
}

TEST_F(TlsTest, LoadAcceptsAChainWithIntermediates) {
  EVP_PKEY* ca_key = NewKey();
  X509* ca = SelfSigned(ca_key, "intermediate");
  std::string chain = Write("chain.crt", CertPem(cert_) + CertPem(ca));
  X509_free(ca);
  EVP_PKEY_free(ca_key);
  EXPECT_NE(TlsContext::Load(chain, key_file_), nullptr);
  std::string broken = Write("broken.crt", CertPem(cert_) + "-----BEGIN CERTIFICATE-----\nAAAA\n"
                                                            "-----END CERTIFICATE-----\n");
  ExpectLoadError(broken, key_file_, broken, "bad certificate after the first one");
}

TEST_F(TlsTest, HandshakeAndExchangeWithAnOpenSslClient) {
  std::unique_ptr<TlsContext> context = TlsContext::Load(cert_file_, key_file_);
  SocketPair pair;
  std::string big(1 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);

  std::string client_got, client_alpn;
  int client_version = 0;
  long verify_result = -1;
  std::thread client([&] {
    SSL_CTX* ctx = ClientContext();
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, pair.fds[1]);
    SSL_set1_host(ssl, "localhost");
    static const unsigned char kAlpn[] = "\x0apostgresql";
    SSL_set_alpn_protos(ssl, kAlpn, sizeof kAlpn - 1);
    if (SSL_connect(ssl) == 1) {
      client_version = SSL_version(ssl);
      verify_result = SSL_get_verify_result(ssl);
      const unsigned char* alpn = nullptr;
      unsigned int alpn_length = 0;
      SSL_get0_alpn_selected(ssl, &alpn, &alpn_length);
      client_alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
      SSL_write(ssl, "hello", 5);
      client_got = ClientRead(ssl, 5 + big.size());
      SSL_write(ssl, big.data(), static_cast<int>(big.size()));
      SSL_shutdown(ssl);
    } else {
      ERR_print_errors_fp(stderr);
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
  });

  std::unique_ptr<Stream> stream = context->Accept(pair.fds[0]);
  EXPECT_TRUE(stream->encrypted());
  EXPECT_EQ(ServerRead(*stream, 5), "hello");
  stream->WriteAll("world", 5);
  stream->WriteAll(big.data(), big.size());
  EXPECT_EQ(ServerRead(*stream, big.size()), big);
  char c;
  EXPECT_EQ(stream->Read(&c, 1), 0u);  // close_notify
  client.join();
  EXPECT_EQ(client_got, "world" + big);
  EXPECT_GE(client_version, TLS1_2_VERSION);
  EXPECT_EQ(verify_result, X509_V_OK);
  EXPECT_EQ(client_alpn, "postgresql");
}

TEST_F(TlsTest, ClientThatClosesWithoutCloseNotifyEndsTheStream) {
  std::unique_ptr<TlsContext> context = TlsContext::Load(cert_file_, key_file_);
  SocketPair pair;
  std::thread client([&] {
    SSL_CTX* ctx = ClientContext();
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, pair.fds[1]);
    EXPECT_EQ(SSL_connect(ssl), 1);
    SSL_free(ssl);  // no SSL_shutdown
    SSL_CTX_free(ctx);
    pair.Close(1);
  });
  std::unique_ptr<Stream> stream = context->Accept(pair.fds[0]);
  client.join();
  char c;
  EXPECT_EQ(stream->Read(&c, 1), 0u);
  // Writing to the vanished client fails cleanly (and without SIGPIPE, which is not ignored here).
  try {
    for (int i = 0; i < 100; ++i) stream->WriteAll("x", 1);
    ADD_FAILURE() << "no error";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), kConnectionFailure);
  }
}

void ExpectAcceptFails(TlsContext& context, int fd, const std::string& text) {
  try {
    context.Accept(fd);
    ADD_FAILURE() << "handshake succeeded";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kProtocolViolation);
    EXPECT_EQ(e.severity(), Severity::kFatal);
    EXPECT_NE(e.message().find(text), std::string::npos) << e.message();
  }
}

TEST_F(TlsTest, PlaintextClientFailsTheHandshake) {
  std::unique_ptr<TlsContext> context = TlsContext::Load(cert_file_, key_file_);
  SocketPair pair;
  // A startup packet where a ClientHello should be.
  static const char kStartup[] = "\x00\x00\x00\x08\x00\x03\x00\x00";
  ASSERT_EQ(::send(pair.fds[1], kStartup, 8, MSG_NOSIGNAL), 8);
  ExpectAcceptFails(*context, pair.fds[0], "could not accept SSL connection");
}

TEST_F(TlsTest, ClientThatHangsUpFailsTheHandshake) {
  std::unique_ptr<TlsContext> context = TlsContext::Load(cert_file_, key_file_);
  SocketPair pair;
  pair.Close(1);
  ExpectAcceptFails(*context, pair.fds[0], "EOF detected");
}

TEST_F(TlsTest, Tls11ClientIsRefused) {
  std::unique_ptr<TlsContext> context = TlsContext::Load(cert_file_, key_file_);
  SocketPair pair;
  int connect_result = 0;
  std::thread client([&] {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_security_level(ctx, 0);  // let the client offer TLS 1.1 at all
    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, pair.fds[1]);
    connect_result = SSL_connect(ssl);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    pair.Close(1);
  });
  ExpectAcceptFails(*context, pair.fds[0], "could not accept SSL connection");
  client.join();
  EXPECT_NE(connect_result, 1);
}

TEST_F(TlsTest, ConcurrentHandshakesShareOneContext) {
  std::unique_ptr<TlsContext> context = TlsContext::Load(cert_file_, key_file_);
  constexpr int kConnections = 4;
  std::vector<std::thread> threads;
  std::vector<std::string> echoed(kConnections);
  for (int i = 0; i < kConnections; ++i) {
    threads.emplace_back([&, i] {
      SocketPair pair;
      std::thread client([&] {
        SSL_CTX* ctx = ClientContext();
        SSL* ssl = SSL_new(ctx);
        SSL_set_fd(ssl, pair.fds[1]);
        if (SSL_connect(ssl) == 1) {
          std::string message = "client " + std::to_string(i);
          SSL_write(ssl, message.data(), static_cast<int>(message.size()));
          echoed[i] = ClientRead(ssl, message.size());
          SSL_shutdown(ssl);
        }
        SSL_free(ssl);
        SSL_CTX_free(ctx);
      });
      try {
        std::unique_ptr<Stream> stream = context->Accept(pair.fds[0]);
        std::string got = ServerRead(*stream, 8);
        stream->WriteAll(got.data(), got.size());
        char c;
        stream->Read(&c, 1);
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
      client.join();
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kConnections; ++i) EXPECT_EQ(echoed[i], "client " + std::to_string(i));
}

}  // namespace
}  // namespace cdmlake::server
