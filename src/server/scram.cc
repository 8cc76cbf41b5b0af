#include "server/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <charconv>
#include <cstdint>
#include <vector>

#include "server/pg_error.h"
#include "util/error.h"

namespace cdmlake::server {
namespace {

constexpr size_t kKeyLength = SHA256_DIGEST_LENGTH;  // 32
constexpr size_t kSaltLength = 16;                   // PostgreSQL's SCRAM_DEFAULT_SALT_LEN
constexpr size_t kRawNonceLength = 18;               // PostgreSQL's SCRAM_RAW_NONCE_LEN
constexpr std::string_view kVerifierPrefix = "SCRAM-SHA-256$";

// ---- cryptographic primitives (all SHA-256) ----

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw Error(ErrorKind::kInternal, "the OpenSSL random generator failed");
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out, &length) == nullptr) {
    throw Error(ErrorKind::kInternal, "OpenSSL HMAC-SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string Sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string SaltedPassword(std::string_view prepared, std::string_view salt, int iterations) {
  std::string out(kKeyLength, '\0');
  const auto* salt_bytes = reinterpret_cast<const unsigned char*>(salt.data());
  auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
  if (PKCS5_PBKDF2_HMAC(prepared.data(), static_cast<int>(prepared.size()), salt_bytes, static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), static_cast<int>(kKeyLength), out_bytes) != 1) {
    throw Error(ErrorKind::kInternal, "OpenSSL PBKDF2-HMAC-SHA-256 failed");
  }
  return out;
}

// The secret behind mock salts: random per process, so a client cannot compute the salt of an unknown user, yet
// stable, so that asking twice for the same unknown user gives the same salt (as for a real user).
const std::string& MockSecret() {
  static const std::string secret = RandomBytes(32);
  return secret;
}

// ---- SASLprep tables (RFC 3454 / RFC 4013, as in PostgreSQL's src/common/saslprep.c) ----

struct Range {
  char32_t first, last;
};

bool InRanges(char32_t c, const std::vector<Range>& ranges) {
  for (const Range& r : ranges) {
    if (c >= r.first && c <= r.last) return true;
  }
  return false;
}

// C.1.2: mapped to U+0020 (and, before mapping, prohibited).
const std::vector<Range> kNonAsciiSpace = {{0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200B},
                                           {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}};
// B.1: mapped to nothing.
const std::vector<Range> kMappedToNothing = {{0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x1806, 0x1806},
                                             {0x180B, 0x180D}, {0x200B, 0x200D}, {0x2060, 0x2060},
                                             {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}};
// C.1.2, C.2.1, C.2.2, C.3, C.5, C.6, C.7, C.8, C.9 (C.4 non-characters are tested by IsNonCharacter).
const std::vector<Range> kProhibited = {
    {0x00A0, 0x00A0},   {0x1680, 0x1680},   {0x2000, 0x200B},   {0x202F, 0x202F},   {0x205F, 0x205F},
    {0x3000, 0x3000},   {0x0000, 0x001F},   {0x007F, 0x007F},   {0x0080, 0x009F},   {0x06DD, 0x06DD},
    {0x070F, 0x070F},   {0x180E, 0x180E},   {0x200C, 0x200D},   {0x2028, 0x2029},   {0x2060, 0x2063},
    {0x206A, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFC},   {0x1D173, 0x1D17A}, {0xE000, 0xF8FF},
    {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD}, {0xD800, 0xDFFF}, {0xFFFD, 0xFFFD},   {0x2FF0, 0x2FFB},
    {0x0340, 0x0341},   {0x200E, 0x200F},   {0x202A, 0x202E},   {0xE0001, 0xE0001}, {0xE0020, 0xE007F}};

bool IsNonCharacter(char32_t c) { return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE; }

bool IsRandAL(char32_t c) {
  UCharDirection d = u_charDirection(static_cast<UChar32>(c));
  return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

bool IsL(char32_t c) { return u_charDirection(static_cast<UChar32>(c)) == U_LEFT_TO_RIGHT; }

// pg_saslprep proper: nullopt for "invalid UTF-8" and "prohibited" (the caller falls back to the raw bytes).
std::optional<std::string> SaslPrepStrict(std::string_view input) {
  std::vector<char32_t> mapped;
  const auto* bytes = reinterpret_cast<const uint8_t*>(input.data());
  int32_t length = static_cast<int32_t>(input.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return std::nullopt;  // ill-formed UTF-8 (U8_NEXT rejects overlong forms and surrogates)
    auto code = static_cast<char32_t>(c);
    if (InRanges(code, kNonAsciiSpace)) {
      mapped.push_back(U' ');
    } else if (!InRanges(code, kMappedToNothing)) {
      mapped.push_back(code);
    }
  }
  if (mapped.empty()) return std::nullopt;  // PostgreSQL does not allow a password that maps to nothing
  // PostgreSQL checks the prohibited, unassigned and bidirectional rules on the mapped input (before NFKC), so
  // we do too: the point is to hash the same bytes as libpq.
  bool has_rand_al = false;
  for (char32_t c : mapped) {
    if (InRanges(c, kProhibited) || IsNonCharacter(c)) return std::nullopt;
    if (u_charType(static_cast<UChar32>(c)) == U_UNASSIGNED) return std::nullopt;
    has_rand_al = has_rand_al || IsRandAL(c);
  }
  if (has_rand_al) {
    for (char32_t c : mapped) {
      if (IsL(c)) return std::nullopt;
    }
    if (!IsRandAL(mapped.front()) || !IsRandAL(mapped.back())) return std::nullopt;
  }
  icu::UnicodeString text;
  for (char32_t c : mapped) text.append(static_cast<UChar32>(c));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) throw Error(ErrorKind::kInternal, "ICU has no NFKC normalizer");
  icu::UnicodeString normalized = nfkc->normalize(text, status);
  if (U_FAILURE(status)) return std::nullopt;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

// ---- base64 ----

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// ---- SCRAM message parsing ----

[[noreturn]] void Malformed(std::string detail) {
  throw PgError(sqlstate::kProtocolViolation, "malformed SCRAM message", Severity::kFatal, std::move(detail));
}

// Printable ASCII except ',' (RFC 5802's "printable", the alphabet of nonces).
bool IsPrintableNonce(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

// Reads "<attr>=<value>" up to the next ',' (consumed) or the end; the cursor `in` advances past it.
std::string_view ReadAttribute(std::string_view& in, char attr, const char* where) {
  if (in.empty() || in[0] != attr) {
    Malformed(std::string("Expected attribute \"") + attr + "\" in " + where + ".");
  }
  if (in.size() < 2 || in[1] != '=') {
    Malformed(std::string("Expected character \"=\" for attribute \"") + attr + "\" in " + where + ".");
  }
  in.remove_prefix(2);
  size_t comma = in.find(',');
  if (comma != std::string_view::npos && comma + 1 == in.size()) {
    Malformed(std::string("Attribute expected after the last comma of ") + where + ".");
  }
  std::string_view value = in.substr(0, comma);
  in.remove_prefix(comma == std::string_view::npos ? in.size() : comma + 1);
  return value;
}

// Reads any "<letter>=<value>" attribute (extensions); returns the letter.
char ReadAnyAttribute(std::string_view& in, std::string_view* value, const char* where) {
  if (in.empty()) Malformed(std::string("Unexpected end of ") + where + ".");
  char attr = in[0];
  if (!((attr >= 'a' && attr <= 'z') || (attr >= 'A' && attr <= 'Z'))) {
    Malformed(std::string("Attribute expected, but found invalid character in ") + where + ".");
  }
  std::string_view v = ReadAttribute(in, attr, where);
  if (value != nullptr) *value = v;
  return attr;
}

}  // namespace

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint32_t{static_cast<uint8_t>(data[i])} << 16) | (uint32_t{static_cast<uint8_t>(data[i + 1])} << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{static_cast<uint8_t>(data[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<uint8_t>(data[i + 1])} << 8;
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      int d = 0;
      if (k < 4 - pad) {
        d = Base64Value(text[i + k]);
        if (d < 0) return std::nullopt;  // includes a '=' in the middle
      }
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    // The bits under the padding must be zero (canonical encoding only).
    if ((pad == 1 && (v & 0xFF) != 0) || (pad == 2 && (v & 0xFFFF) != 0)) return std::nullopt;
    out += static_cast<char>((v >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(v & 0xFF);
  }
  return out;
}

std::string SaslPrep(std::string_view password) {
  bool ascii = true;
  for (char c : password) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(password);
  std::optional<std::string> prepared = SaslPrepStrict(password);
  return prepared ? *prepared : std::string(password);
}

std::string ScramVerifier::ToString() const {
  return std::string(kVerifierPrefix) + std::to_string(iterations) + ":" + Base64Encode(salt) + "$" +
         Base64Encode(stored_key) + ":" + Base64Encode(server_key);
}

std::optional<ScramVerifier> ScramVerifier::Parse(std::string_view text) {
  if (text.substr(0, kVerifierPrefix.size()) != kVerifierPrefix) return std::nullopt;
  text.remove_prefix(kVerifierPrefix.size());
  size_t colon1 = text.find(':');
  size_t dollar = text.find('$');
  if (colon1 == std::string_view::npos || dollar == std::string_view::npos || dollar < colon1) return std::nullopt;
  size_t colon2 = text.find(':', dollar);
  if (colon2 == std::string_view::npos) return std::nullopt;
  std::string_view iter_text = text.substr(0, colon1);
  ScramVerifier v;
  auto [end, ec] = std::from_chars(iter_text.data(), iter_text.data() + iter_text.size(), v.iterations);
  if (iter_text.empty() || ec != std::errc() || end != iter_text.data() + iter_text.size() || v.iterations <= 0) {
    return std::nullopt;
  }
  auto salt = Base64Decode(text.substr(colon1 + 1, dollar - colon1 - 1));
  auto stored = Base64Decode(text.substr(dollar + 1, colon2 - dollar - 1));
  auto server = Base64Decode(text.substr(colon2 + 1));
  if (!salt || salt->empty() || !stored || stored->size() != kKeyLength || !server || server->size() != kKeyLength) {
    return std::nullopt;
  }
  v.salt = std::move(*salt);
  v.stored_key = std::move(*stored);
  v.server_key = std::move(*server);
  return v;
}

ScramVerifier MakeScramVerifierWithSalt(std::string_view password, std::string_view salt, int iterations) {
  std::string salted = SaltedPassword(SaslPrep(password), salt, iterations);
  ScramVerifier v;
  v.salt = std::string(salt);
  v.iterations = iterations;
  v.stored_key = Sha256(Hmac(salted, "Client Key"));
  v.server_key = Hmac(salted, "Server Key");
  OPENSSL_cleanse(salted.data(), salted.size());
  return v;
}

ScramVerifier MakeScramVerifier(std::string_view password, int iterations) {
  return MakeScramVerifierWithSalt(password, RandomBytes(kSaltLength), iterations);
}

ScramExchange::ScramExchange(const ScramVerifier* verifier, std::string user_for_mock) : mock_(verifier == nullptr) {
  if (verifier != nullptr) {
    verifier_ = *verifier;
  } else {
    // Like PostgreSQL's scram_mock_salt: a hash of the user name and a server secret.
    verifier_.salt = Sha256(user_for_mock + MockSecret()).substr(0, kSaltLength);
    verifier_.iterations = kScramDefaultIterations;
    verifier_.stored_key = std::string(kKeyLength, '\0');
    verifier_.server_key = std::string(kKeyLength, '\0');
  }
}

std::string ScramExchange::HandleClientFirst(std::string_view message) {
  if (state_ != State::kInitial) Malformed("Unexpected client-first-message.");
  state_ = State::kFinished;  // any failure below ends the exchange
  if (message.find('\0') != std::string_view::npos) Malformed("Unexpected NUL byte in client-first-message.");
  std::string_view in = message;
  // gs2-cbind-flag
  if (in.empty()) Malformed("Empty client-first-message.");
  switch (in[0]) {
    case 'n':
    case 'y':
      in.remove_prefix(1);
      break;
    case 'p':
      Malformed(
          "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel "
          "binding data.");
    default:
      Malformed(std::string("Unexpected channel-binding flag \"") + in[0] + "\".");
  }
  if (in.empty() || in[0] != ',') Malformed("Comma expected after the channel-binding flag.");
  in.remove_prefix(1);
  // authzid
  if (!in.empty() && in[0] == 'a') {
    throw PgError(sqlstate::kFeatureNotSupported, "client uses authorization identity, but it is not supported",
                  Severity::kFatal);
  }
  if (in.empty() || in[0] != ',') Malformed("Unexpected attribute in client-first-message.");
  in.remove_prefix(1);
  gs2_header_ = std::string(message.substr(0, message.size() - in.size()));
  client_first_bare_ = std::string(in);
  if (!in.empty() && in[0] == 'm') {
    throw PgError(sqlstate::kFeatureNotSupported, "client requires an unsupported SCRAM extension", Severity::kFatal);
  }
  ReadAttribute(in, 'n', "client-first-message");  // the user name: PostgreSQL uses the startup packet's
  std::string_view client_nonce = ReadAttribute(in, 'r', "client-first-message");
  if (!IsPrintableNonce(client_nonce)) Malformed("Non-printable characters or empty nonce in client-first-message.");
  while (!in.empty()) ReadAnyAttribute(in, nullptr, "client-first-message");  // ignored extensions

  if (server_nonce_.empty()) server_nonce_ = Base64Encode(RandomBytes(kRawNonceLength));
  combined_nonce_ = std::string(client_nonce) + server_nonce_;
  server_first_ = "r=" + combined_nonce_ + ",s=" + Base64Encode(verifier_.salt) + ",i=" +
                  std::to_string(verifier_.iterations);
  state_ = State::kFirstDone;
  return server_first_;
}

std::optional<std::string> ScramExchange::HandleClientFinal(std::string_view message) {
  if (state_ != State::kFirstDone) Malformed("Unexpected client-final-message.");
  state_ = State::kFinished;
  if (message.find('\0') != std::string_view::npos) Malformed("Unexpected NUL byte in client-final-message.");
  std::string_view in = message;
  std::string_view binding = ReadAttribute(in, 'c', "client-final-message");
  std::optional<std::string> binding_data = Base64Decode(binding);
  if (!binding_data || *binding_data != gs2_header_) {
    Malformed("Unexpected SCRAM channel-binding attribute in client-final-message.");
  }
  std::string_view nonce = ReadAttribute(in, 'r', "client-final-message");
  // Extensions until the proof, which must come last.
  size_t proof_start;
  std::string_view proof_text;
  char attr;
  do {
    proof_start = message.size() - in.size();
    attr = ReadAnyAttribute(in, &proof_text, "client-final-message");
  } while (attr != 'p');
  if (!in.empty()) Malformed("Garbage found at the end of client-final-message.");
  std::optional<std::string> proof = Base64Decode(proof_text);
  if (!proof || proof->size() != kKeyLength) Malformed("Malformed proof in client-final-message.");
  if (nonce != combined_nonce_) {
    throw PgError(sqlstate::kProtocolViolation, "invalid SCRAM response", Severity::kFatal, "Nonce does not match.");
  }
  // proof_start is the offset of "p=", after the ',' that separates it from the attribute before.
  std::string_view without_proof = message.substr(0, proof_start - 1);
  std::string auth_message = client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);

  std::string client_signature = Hmac(verifier_.stored_key, auth_message);
  std::string client_key(kKeyLength, '\0');
  for (size_t i = 0; i < kKeyLength; ++i) client_key[i] = static_cast<char>((*proof)[i] ^ client_signature[i]);
  std::string computed_stored_key = Sha256(client_key);
  bool match = CRYPTO_memcmp(computed_stored_key.data(), verifier_.stored_key.data(), kKeyLength) == 0;
  if (!match || mock_) return std::nullopt;
  return "v=" + Base64Encode(Hmac(verifier_.server_key, auth_message));
}

}  // namespace cdmlake::server
