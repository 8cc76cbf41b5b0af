// SCRAM-SHA-256 authentication (RFC 5802, RFC 7677) as PostgreSQL implements it: the stored verifier, the
// password preparation (SASLprep, RFC 4013) and the server side of one exchange.
//
// The server stores only a verifier (salt, iteration count, StoredKey, ServerKey) in PostgreSQL's pg_authid text
// form, never the password. One exchange is three messages: the client-first-message arrives in
// SASLInitialResponse, the server answers with server-first-message in AuthenticationSASLContinue, the
// client-final-message carries the proof, and the server proves itself with server-final-message in
// AuthenticationSASLFinal. Channel binding (SCRAM-SHA-256-PLUS) is not offered.
//
// Thread-safety: ScramVerifier is a plain value. A ScramExchange belongs to one connection and one thread. The
// free functions are safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cdmlake::server {

inline constexpr const char* kScramMechanism = "SCRAM-SHA-256";
inline constexpr int kScramDefaultIterations = 4096;

struct ScramVerifier {
  std::string salt;  // raw bytes
  int iterations = kScramDefaultIterations;
  std::string stored_key;  // raw bytes: SHA-256(HMAC(SaltedPassword, "Client Key"))
  std::string server_key;  // raw bytes: HMAC(SaltedPassword, "Server Key")

  // PostgreSQL's pg_authid form: "SCRAM-SHA-256$<iter>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>".
  std::string ToString() const;
  // Parses the pg_authid form. Returns nullopt when the text is not exactly that form: wrong prefix, iteration
  // count not a positive int, empty salt, keys that do not decode to 32 bytes, bad base64.
  static std::optional<ScramVerifier> Parse(std::string_view text);

  bool operator==(const ScramVerifier&) const = default;
};

// A new verifier with a random 16-byte salt (RAND_bytes; throws cdmlake::Error kInternal when the random
// generator fails). The password is prepared with SaslPrep first, as PostgreSQL does.
ScramVerifier MakeScramVerifier(std::string_view password, int iterations = kScramDefaultIterations);
// The same with a given salt: deterministic, for tests and for cross-checks against other implementations.
ScramVerifier MakeScramVerifierWithSalt(std::string_view password, std::string_view salt,
                                        int iterations = kScramDefaultIterations);

// PostgreSQL's pg_saslprep, then its fallback: pure ASCII is returned unchanged; otherwise the UTF-8 text is
// mapped (non-ASCII spaces to U+0020, "commonly mapped to nothing" characters removed), checked for prohibited
// and unassigned code points and the bidirectional rule, and normalized to NFKC with ICU. When the input is not
// valid UTF-8, or the check rejects it, or the mapping leaves nothing, the raw bytes are returned — the same
// bytes libpq hashes in that case, so such passwords still work. Unassigned and bidirectional categories come
// from ICU's (newer) Unicode tables rather than RFC 3454's Unicode 3.2 tables; they differ only for code points
// assigned after Unicode 3.2, which PostgreSQL would reject (and then use raw) while we normalize them.
std::string SaslPrep(std::string_view password);

// Standard base64 with padding (RFC 4648 §4), as SCRAM and pg_authid use. Decode is strict: no whitespace,
// padding required; returns nullopt on anything else.
std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);

// The server side of one SCRAM-SHA-256 exchange.
//
// With verifier == nullptr (an unknown user) it runs a mock exchange, like PostgreSQL: the salt is derived from
// user_for_mock and a per-process random secret (so it is stable for one user within a server run and reveals
// nothing), the iteration count is the default, and HandleClientFinal fails at the end. A client therefore
// cannot tell unknown users from wrong passwords.
class ScramExchange {
 public:
  // verifier must outlive the exchange.
  explicit ScramExchange(const ScramVerifier* verifier, std::string user_for_mock = "");

  // Replaces the random server nonce (printable ASCII without ','); for tests with fixed vectors only. Must be
  // called before HandleClientFirst.
  void set_server_nonce_for_testing(std::string nonce) { server_nonce_ = std::move(nonce); }

  // Takes the client-first-message (the data of SASLInitialResponse for mechanism "SCRAM-SHA-256") and returns
  // the server-first-message "r=<client nonce><server nonce>,s=<base64 salt>,i=<iterations>".
  // The gs2 header may be "n,," (client does not support channel binding) or "y,," (client supports it but
  // thinks the server does not — true here, as we never offer -PLUS). Throws PgError 08P01 for "p=..." (channel
  // binding requested) and for malformed messages, 0A000 for an authorization identity or a mandatory
  // extension ("m="). The user name inside the message is ignored, as PostgreSQL does: the startup packet's
  // user counts.
  std::string HandleClientFirst(std::string_view message);

  // Takes the client-final-message "c=<base64 gs2 header>,r=<nonce>[,ext...],p=<base64 proof>". Returns the
  // server-final-message "v=<base64 ServerSignature>" when the proof is right, and nullopt when it is wrong or
  // the exchange is a mock (the caller then sends FATAL 28P01 "password authentication failed for user X").
  // Throws PgError 08P01 when the message is malformed, the channel-binding data differs from the gs2 header,
  // the nonce differs from the one agreed, or it is called out of order.
  std::optional<std::string> HandleClientFinal(std::string_view message);

 private:
  enum class State { kInitial, kFirstDone, kFinished };

  ScramVerifier verifier_;  // the real one, or the mock one
  bool mock_;
  State state_ = State::kInitial;
  std::string server_nonce_;
  std::string gs2_header_;         // e.g. "n,,", to compare with the c= attribute of the final message
  std::string combined_nonce_;     // client nonce + server nonce
  std::string client_first_bare_;  // "n=...,r=..." (part of AuthMessage)
  std::string server_first_;       // part of AuthMessage
};

}  // namespace cdmlake::server
