#include "server/scram.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/pg_error.h"

namespace cdmlake::server {
namespace {

// RFC 7677 §3.
constexpr const char* kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr const char* kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr const char* kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr const char* kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr const char* kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramVerifier PencilVerifier() {
  return MakeScramVerifierWithSalt("pencil", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
}

// ---- a minimal SCRAM client, written independently of the server code ----

std::string TestHmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string TestSha256(const std::string& data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

struct Attributes {
  std::string r, s;
  int i = 0;
};

Attributes ParseServerFirst(const std::string& m) {
  Attributes a;
  size_t pos = 0;
  while (pos < m.size()) {
    size_t end = m.find(',', pos);
    if (end == std::string::npos) end = m.size();
    std::string item = m.substr(pos, end - pos);
    if (item.rfind("r=", 0) == 0) a.r = item.substr(2);
    if (item.rfind("s=", 0) == 0) a.s = item.substr(2);
    if (item.rfind("i=", 0) == 0) a.i = std::stoi(item.substr(2));
    pos = end + 1;
  }
  return a;
}

// Runs one exchange as a client with the given (already prepared, ASCII) password; returns whether the server
// accepted, and checks the server's signature when it did.
bool ClientLogin(ScramExchange& server, const std::string& password, const std::string& gs2 = "n,,") {
  std::string client_nonce = "fyko+d2lbbFgONRv9qkxdawL";
  std::string first_bare = "n=,r=" + client_nonce;
  std::string server_first = server.HandleClientFirst(gs2 + first_bare);
  Attributes a = ParseServerFirst(server_first);
  EXPECT_EQ(a.r.substr(0, client_nonce.size()), client_nonce);
  EXPECT_GT(a.r.size(), client_nonce.size());
  std::string salt = *Base64Decode(a.s);
  std::string salted(32, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), a.i,
                    EVP_sha256(), 32, reinterpret_cast<unsigned char*>(salted.data()));
  std::string client_key = TestHmac(salted, "Client Key");
  std::string without_proof = "c=" + Base64Encode(gs2) + ",r=" + a.r;
  std::string auth_message = first_bare + "," + server_first + "," + without_proof;
  std::string signature = TestHmac(TestSha256(client_key), auth_message);
  std::string proof(32, '\0');
  for (int k = 0; k < 32; ++k) proof[k] = static_cast<char>(client_key[k] ^ signature[k]);
  std::optional<std::string> final = server.HandleClientFinal(without_proof + ",p=" + Base64Encode(proof));
  if (!final) return false;
  std::string server_signature = TestHmac(TestHmac(salted, "Server Key"), auth_message);
  EXPECT_EQ(*final, "v=" + Base64Encode(server_signature));
  return true;
}

void ExpectSqlState(const std::function<void()>& f, const std::string& state) {
  try {
    f();
    ADD_FAILURE() << "no PgError, expected " << state;
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), state) << e.message() << " / " << e.detail();
  }
}

TEST(Base64, RoundTripAndStrictness) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("n,,"), "biws");
  for (const char* s : {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYmE="}) {
    ASSERT_TRUE(Base64Decode(s).has_value()) << s;
    EXPECT_EQ(Base64Encode(*Base64Decode(s)), s);
  }
  EXPECT_FALSE(Base64Decode("Zg=").has_value());
  EXPECT_FALSE(Base64Decode("Zg").has_value());
  EXPECT_FALSE(Base64Decode("Z===").has_value());
  EXPECT_FALSE(Base64Decode("Zh==").has_value());  // non-zero bits under the padding
  EXPECT_FALSE(Base64Decode("Zm 9").has_value());
  EXPECT_FALSE(Base64Decode("Zg==Zg==").has_value());
}

TEST(ScramVerifier, Rfc7677KeysMatchAnIndependentComputation) {
  // Computed with Python's hashlib.pbkdf2_hmac/hmac for the RFC 7677 password and salt.
  EXPECT_EQ(PencilVerifier().ToString(),
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
            "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
}

TEST(ScramVerifier, MatchesVerifiersMadeByLibpq) {
  // Made by libpq 15's PQencryptPasswordConn(conn, password, "u", "scram-sha-256"), which salts at random and
  // runs PostgreSQL's own SASLprep; recomputing with the same salt must give the same keys.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"pencil",
       "SCRAM-SHA-256$4096:sPrkKMGWRU20w/FY5Kq5rA==$Dh+aItl14ij63oEg2fkh3cCS8XmKdnvcdHGgblt1w0g=:"
       "WzUZPBemx7t8NBTQYsYhnHDNOfGCfeUEThgUqlGiUgY="},
      {"\u2168",  // ROMAN NUMERAL NINE: NFKC gives "IX"
       "SCRAM-SHA-256$4096:Aay+vdjHqIvL9Yu92ZDMVw==$fR3sDJg4h/qCi2pGpJ1yzGLzziaYgXElY9iBxUE4yl0=:"
       "1nJ4XaFbSM0i9fjy6k9n4xCySUu+tujOgw6SuF/qtWY="},
      {"I\u00ADX",  // SOFT HYPHEN is mapped to nothing
       "SCRAM-SHA-256$4096:xkB5dsTkViarXzcXMsT15Q==$ZZ1uai0b+snHFiAycfHkarffJig4us51L2juVtQRqEA=:"
       "tgnos9l853Cccbauzy3YbnSvxymppaXxt7WAnDTuy7Y="},
      {"a\u0080b",  // a prohibited control character: the raw bytes are used
       "SCRAM-SHA-256$4096:0Ia85r2iJwsF7OvZBqrOIQ==$OZeTxa7v4s/BjpfDEjyANjscBr1pINBB+nnngQXhiK8=:"
       "D1bBN0rHCpAiB1iUXHvetnho0gJGqkjF5CsM+YjSiJk="},
      {"\u05D0\u05D1",  // right-to-left only: allowed
       "SCRAM-SHA-256$4096:jj4kmlhxcoXPUzML0A+4UQ==$2t438/Oa2pydLIzVRcGMXxYDi7j+zT9vrb0Oe3TgN3o=:"
       "3MyQjXmnkkw9l/U6I5h2QZSJJh5wdu0VFWS7jKPU0xk="},
      {"a\u05D0",  // mixed directions: prohibited, raw bytes
       "SCRAM-SHA-256$4096:76iVkqONI7PSgkUs07WnPQ==$bvGYez5SnvoFRpbCq82m9Idn4hXWf4VbmwQxZgmUIZk=:"
       "rjs71Do/FTC3dEKP6S3c6h9cgZ4KAxuNZReSPM/dy88="},
      {"\u00A0",  // NO-BREAK SPACE maps to " "
       "SCRAM-SHA-256$4096:o4QCqlKY4gL5CADRp3ikBg==$OvHx0tbssnO5DkqkjfiBdeVRGrP6mGaEWcSUQIlEO1o=:"
       "Zh6/zXPhzfZSmRfHJ7aXusG2Ks+Dwt4ohLS05hoYh8Y="},
      {"\u00AD",  // maps to nothing at all: raw bytes
       "SCRAM-SHA-256$4096:h6JmFfLcemacJRfbAa52Iw==$aftqy5R9VywAms70Lc7PVpHWWoevdBolX1ydRLn2VGY=:"
       "vSyq26OYW4sqKJWyOXH9be6+vC73y14eFPQ/crNvpZo="},
      {"x\uD7FF",  // unassigned: raw bytes
       "SCRAM-SHA-256$4096:s+5mp5TLqcLZMQptsgldnQ==$zl12ZqeHrZHnv0isO3P61HEMSWRnSejWu8Snev2POEY=:"
       "szbBCJ3J2m5rAWWeFELkdFrngrwFOhjKDF5S7/vXhm0="},
      {"a\xFF"
       "b",  // not UTF-8: raw bytes
       "SCRAM-SHA-256$4096:rHCwTs8MVTJ5XIc44LcI/A==$+2gikfsbINTT8nkArgo4Q1j/1VMHu0GhSUVWDvC0iPQ=:"
       "oGgl/dTMjfDxAfPgioFiq/Q/6jsY/rr1w/d6yEFWcr8="},
  };
  for (const auto& [password, text] : cases) {
    std::optional<ScramVerifier> libpq = ScramVerifier::Parse(text);
    ASSERT_TRUE(libpq.has_value()) << text;
    EXPECT_EQ(libpq->ToString(), text);
    EXPECT_EQ(MakeScramVerifierWithSalt(password, libpq->salt, libpq->iterations), *libpq) << password;
  }
}

TEST(ScramVerifier, SaslPrep) {
  EXPECT_EQ(SaslPrep("pencil"), "pencil");
  EXPECT_EQ(SaslPrep("a\tb"), "a\tb");  // ASCII is never touched
  EXPECT_EQ(SaslPrep("\u2168"), "IX");
  EXPECT_EQ(SaslPrep("I\u00ADX"), "IX");
  EXPECT_EQ(SaslPrep("a\u3000b"), "a b");
  EXPECT_EQ(SaslPrep("\u00AA"), "a");
  EXPECT_EQ(SaslPrep("a\u0080b"), "a\u0080b");
  EXPECT_EQ(SaslPrep("a\xC0\x80"), "a\xC0\x80");  // overlong form: not UTF-8
}

TEST(ScramVerifier, ParseRejectsMalformedText) {
  const std::string good = PencilVerifier().ToString();
  EXPECT_TRUE(ScramVerifier::Parse(good).has_value());
  for (const std::string& bad : std::vector<std::string>{
           "",
           "md5abcdef",
           "SCRAM-SHA-256$",
           "SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
           "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$x:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
           "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$99999999999:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
           "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$4096:$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
           "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4q==:"
           "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
           "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=",
           good + " ",
           " " + good,
       }) {
    EXPECT_FALSE(ScramVerifier::Parse(bad).has_value()) << bad;
  }
}

TEST(ScramVerifier, RandomSaltsDiffer) {
  ScramVerifier a = MakeScramVerifier("secret");
  ScramVerifier b = MakeScramVerifier("secret");
  EXPECT_EQ(a.salt.size(), 16u);
  EXPECT_EQ(a.iterations, 4096);
  EXPECT_NE(a.salt, b.salt);
  EXPECT_NE(a.stored_key, b.stored_key);
  EXPECT_EQ(ScramVerifier::Parse(a.ToString()), a);
}

TEST(ScramExchange, Rfc7677TestVector) {
  ScramVerifier v = PencilVerifier();
  ScramExchange exchange(&v);
  exchange.set_server_nonce_for_testing(kServerNonce);
  EXPECT_EQ(exchange.HandleClientFirst(kClientFirst), kServerFirst);
  std::optional<std::string> final = exchange.HandleClientFinal(kClientFinal);
  ASSERT_TRUE(final.has_value());
  EXPECT_EQ(*final, kServerFinal);
}

TEST(ScramExchange, WrongProofFails) {
  ScramVerifier v = MakeScramVerifierWithSalt("other", *Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ=="));
  ScramExchange exchange(&v);
  exchange.set_server_nonce_for_testing(kServerNonce);
  exchange.HandleClientFirst(kClientFirst);
  EXPECT_FALSE(exchange.HandleClientFinal(kClientFinal).has_value());
}

TEST(ScramExchange, RoundTripWithTestClient) {
  ScramVerifier v = MakeScramVerifier("correct horse", 1000);
  {
    ScramExchange exchange(&v);
    EXPECT_TRUE(ClientLogin(exchange, "correct horse"));
  }
  {
    ScramExchange exchange(&v);
    EXPECT_TRUE(ClientLogin(exchange, "correct horse", "y,,"));
  }
  {
    ScramExchange exchange(&v);
    EXPECT_FALSE(ClientLogin(exchange, "correct horsE"));
  }
}

TEST(ScramExchange, UnknownUserLooksLikeAKnownOneAndFails) {
  ScramExchange a(nullptr, "nobody");
  std::string first_a = a.HandleClientFirst("n,,n=,r=abc");
  ScramExchange b(nullptr, "nobody");
  std::string first_b = b.HandleClientFirst("n,,n=,r=abc");
  Attributes pa = ParseServerFirst(first_a), pb = ParseServerFirst(first_b);
  EXPECT_EQ(pa.s, pb.s);  // stable salt for one user
  EXPECT_EQ(Base64Decode(pa.s)->size(), 16u);
  EXPECT_EQ(pa.i, 4096);
  EXPECT_NE(pa.r, pb.r);  // fresh nonces
  ScramExchange c(nullptr, "somebody");
  EXPECT_NE(ParseServerFirst(c.HandleClientFirst("n,,n=,r=abc")).s, pa.s);
  // Even the right proof for the mock salt and an empty password fails.
  ScramExchange d(nullptr, "nobody");
  EXPECT_FALSE(ClientLogin(d, ""));
}

TEST(ScramExchange, ServerNoncesAreRandomAndPrintable) {
  ScramVerifier v = PencilVerifier();
  ScramExchange a(&v), b(&v);
  std::string ra = ParseServerFirst(a.HandleClientFirst("n,,n=,r=x")).r;
  std::string rb = ParseServerFirst(b.HandleClientFirst("n,,n=,r=x")).r;
  EXPECT_NE(ra, rb);
  EXPECT_EQ(ra.size(), 1u + 24u);
  for (char ch : ra) EXPECT_TRUE(ch > 0x20 && ch < 0x7F && ch != ',');
}

TEST(ScramExchange, MalformedClientFirstMessages) {
  ScramVerifier v = PencilVerifier();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"p=tls-server-end-point,,n=,r=abc", "08P01"},  // channel binding: not offered
      {"", "08P01"},
      {"x,,n=,r=abc", "08P01"},
      {"n,n=,r=abc", "08P01"},
      {"n,,r=abc", "08P01"},
      {"n,,n=,r=", "08P01"},
      {"n,,n=,r=a\x01" "b", "08P01"},
      {"n,,n=", "08P01"},
      {"n,,n=,r=abc,", "08P01"},
      {"n,,n=,r=abc,1=x", "08P01"},
      {std::string("n,,n=,r=abc\0", 12), "08P01"},
      {"n,a=admin,n=,r=abc", "0A000"},  // authorization identity
      {"n,,m=ext,n=,r=abc", "0A000"},   // mandatory extension
  };
  for (const auto& [message, state] : cases) {
    SCOPED_TRACE(message);
    ScramExchange exchange(&v);
    ExpectSqlState([&] { exchange.HandleClientFirst(message); }, state);
  }
  // Optional extensions after the nonce are ignored.
  ScramExchange exchange(&v);
  EXPECT_NO_THROW(exchange.HandleClientFirst("n,,n=user,r=abc,x=ext"));
}

TEST(ScramExchange, MalformedClientFinalMessages) {
  ScramVerifier v = PencilVerifier();
  std::string nonce = std::string("rOprNGfwEbeRWgbNEkqO") + kServerNonce;
  std::string proof = "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  const std::vector<std::string> cases = {
      "",
      "c=eSws,r=" + nonce + "," + proof,  // binding data says y,, but the first message said n,,
      "c=biws,r=" + nonce + "x," + proof,  // nonce mismatch
      "c=biws,r=" + nonce.substr(0, 20) + "," + proof,
      "c=biws,r=" + nonce,
      "c=biws,r=" + nonce + ",p=AAAA",
      "c=biws,r=" + nonce + ",p=!!!!",
      "c=biws,r=" + nonce + "," + proof + ",x=1",
      "c=biws,r=" + nonce + "," + proof + ",",
      "r=" + nonce + ",c=biws," + proof,
      "c=biws," + proof,
  };
  for (const std::string& message : cases) {
    SCOPED_TRACE(message);
    ScramExchange exchange(&v);
    exchange.set_server_nonce_for_testing(kServerNonce);
    exchange.HandleClientFirst(kClientFirst);
    ExpectSqlState([&] { exchange.HandleClientFinal(message); }, "08P01");
  }
  // Extensions before the proof are allowed (and part of the signed message).
  ScramExchange exchange(&v);
  exchange.set_server_nonce_for_testing(kServerNonce);
  exchange.HandleClientFirst(kClientFirst);
  EXPECT_FALSE(exchange.HandleClientFinal("c=biws,r=" + nonce + ",x=ext," + proof).has_value());
}

TEST(ScramExchange, MessagesOutOfOrder) {
  ScramVerifier v = PencilVerifier();
  {
    ScramExchange exchange(&v);
    ExpectSqlState([&] { exchange.HandleClientFinal(kClientFinal); }, "08P01");
  }
  {
    ScramExchange exchange(&v);
    exchange.set_server_nonce_for_testing(kServerNonce);
    exchange.HandleClientFirst(kClientFirst);
    ExpectSqlState([&] { exchange.HandleClientFirst(kClientFirst); }, "08P01");
  }
  {
    ScramExchange exchange(&v);
    exchange.set_server_nonce_for_testing(kServerNonce);
    exchange.HandleClientFirst(kClientFirst);
    ASSERT_TRUE(exchange.HandleClientFinal(kClientFinal).has_value());
    ExpectSqlState([&] { exchange.HandleClientFinal(kClientFinal); }, "08P01");
  }
}

}  // namespace
}  // namespace cdmlake::server
