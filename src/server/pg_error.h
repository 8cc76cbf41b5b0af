// The error a PostgreSQL client sees: a SQLSTATE, a severity and the message fields of an ErrorResponse.
//
// Everything below the session throws cdmlake::Error or engine::EngineError; the session turns those into a
// PgError (see sqlstate.h) at its edge. Code that already knows the SQLSTATE (the protocol codec, authentication,
// the type codecs) throws PgError directly. Immutable value; thread-safe.
#pragma once

#include <stdexcept>
#include <string>

namespace cdmlake::server {

enum class Severity { kError, kFatal };

class PgError : public std::runtime_error {
 public:
  PgError(std::string sqlstate, std::string message, Severity severity = Severity::kError, std::string detail = {},
          std::string hint = {})
      : std::runtime_error(message),
        sqlstate_(std::move(sqlstate)),
        message_(std::move(message)),
        detail_(std::move(detail)),
        hint_(std::move(hint)),
        severity_(severity) {}

  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& message() const { return message_; }
  const std::string& detail() const { return detail_; }
  const std::string& hint() const { return hint_; }
  Severity severity() const { return severity_; }
  // 1-based character position in the statement text, 0 when unknown (ErrorResponse field P).
  int position() const { return position_; }
  PgError& set_position(int position) {
    position_ = position;
    return *this;
  }

 private:
  std::string sqlstate_;
  std::string message_;
  std::string detail_;
  std::string hint_;
  Severity severity_;
  int position_ = 0;
};

// SQLSTATEs the server raises itself (the ones mapped from DuckDB's errors are in sqlstate.cc).
namespace sqlstate {
inline constexpr const char* kProtocolViolation = "08P01";
inline constexpr const char* kInvalidPassword = "28P01";
inline constexpr const char* kInvalidAuthorization = "28000";
inline constexpr const char* kTooManyConnections = "53300";
inline constexpr const char* kQueryCanceled = "57014";
inline constexpr const char* kAdminShutdown = "57P01";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kInvalidBinaryRepresentation = "22P03";
inline constexpr const char* kNumericOutOfRange = "22003";
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kUndefinedObject = "42704";
inline constexpr const char* kInvalidSqlStatementName = "26000";
inline constexpr const char* kInvalidCursorName = "34000";
inline constexpr const char* kDuplicatePreparedStatement = "42P05";
inline constexpr const char* kInFailedTransaction = "25P02";
inline constexpr const char* kReadOnlyTransaction = "25006";
inline constexpr const char* kInsufficientPrivilege = "42501";
inline constexpr const char* kSyntaxError = "42601";
inline constexpr const char* kInvalidCatalogName = "3D000";
inline constexpr const char* kInternalError = "XX000";
inline constexpr const char* kProgramLimitExceeded = "54000";
}  // namespace sqlstate

}  // namespace cdmlake::server
