#include "server/sqlstate.h"

#include <string_view>

namespace cdmlake::server {

namespace {

bool Contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// DuckDB prefixes messages with the error type ("Catalog Error: …"); PostgreSQL clients show the message alone.
std::string StripPrefix(const std::string& message) {
  size_t colon = message.find(": ");
  if (colon == std::string::npos || colon > 40) return message;
  std::string_view head(message.data(), colon);
  if (!Contains(head, "Error") && head != "Interrupt") return message;
  return message.substr(colon + 2);
}

const char* CatalogState(std::string_view m) {
  if (Contains(m, "Table with name") || Contains(m, "table or view") || Contains(m, "View with name")) return "42P01";
  if (Contains(m, "Scalar Function with name") || Contains(m, "Table Function with name") ||
      Contains(m, "Aggregate Function with name") || Contains(m, "Macro Function with name") ||
      Contains(m, "function"))
    return "42883";
  if (Contains(m, "Schema with name")) return "3F000";
  if (Contains(m, "Type with name")) return "42704";
  if (Contains(m, "already exists")) return "42P07";
  return "42P01";
}

}  // namespace

// DuckDB appends the statement's line with a caret ("\n\nLINE 1: selec 1\n        ^"); PostgreSQL clients draw that
// themselves from the error's position. Returns the message without it, and the 1-based position when the caret
// is on the first line of an unabridged excerpt (0 otherwise).
std::string StripContext(const std::string& message, int* position) {
  *position = 0;
  size_t context = message.find("\n\nLINE ");
  if (context == std::string::npos) return message;
  std::string excerpt = message.substr(context + 2);
  size_t colon = excerpt.find(": ");
  size_t newline = excerpt.find('\n');
  if (excerpt.rfind("LINE 1: ", 0) == 0 && colon != std::string::npos && newline != std::string::npos &&
      excerpt.compare(colon + 2, 3, "...") != 0) {
    size_t caret = excerpt.find('^', newline + 1);
    if (caret != std::string::npos && caret - newline - 1 >= colon + 2) {
      *position = static_cast<int>(caret - newline - 1 - (colon + 2)) + 1;
    }
  }
  return message.substr(0, context);
}

PgError ToPgError(const engine::EngineError& error) {
  const std::string& m = error.message();
  int position = 0;
  std::string message = StripContext(StripPrefix(m), &position);
  const char* state = sqlstate::kInternalError;
  switch (error.type()) {
    case DUCKDB_ERROR_PARSER: state = sqlstate::kSyntaxError; break;
    case DUCKDB_ERROR_CATALOG: state = CatalogState(m); break;
    case DUCKDB_ERROR_BINDER:
      if (Contains(m, "Referenced column") || Contains(m, "not found in FROM clause") || Contains(m, "column")) {
        state = Contains(m, "must appear in the GROUP BY") ? "42803" : "42703";
      } else if (Contains(m, "No function matches") || Contains(m, "function")) {
        state = "42883";
      } else if (Contains(m, "Could not determine the type") || Contains(m, "parameter")) {
        state = "42P18";
      } else {
        state = "42804";
      }
      break;
    case DUCKDB_ERROR_CONVERSION: state = sqlstate::kInvalidTextRepresentation; break;
    case DUCKDB_ERROR_OUT_OF_RANGE: state = sqlstate::kNumericOutOfRange; break;
    case DUCKDB_ERROR_DIVIDE_BY_ZERO: state = "22012"; break;
    case DUCKDB_ERROR_INTERRUPT: state = sqlstate::kQueryCanceled; message = "canceling statement due to user request"; break;
    case DUCKDB_ERROR_PERMISSION: state = sqlstate::kInsufficientPrivilege; break;
    case DUCKDB_ERROR_IO: state = Contains(m, "No files found") || Contains(m, "does not exist") ? "58P01" : "58030"; break;
    case DUCKDB_ERROR_OUT_OF_MEMORY: state = "53200"; break;
    case DUCKDB_ERROR_TRANSACTION: state = sqlstate::kInFailedTransaction; break;
    case DUCKDB_ERROR_NOT_IMPLEMENTED: state = sqlstate::kFeatureNotSupported; break;
    case DUCKDB_ERROR_INVALID_INPUT: state = sqlstate::kInvalidParameterValue; break;
    case DUCKDB_ERROR_CONSTRAINT: state = Contains(m, "NOT NULL") ? "23502" : "23505"; break;
    case DUCKDB_ERROR_INVALID_TYPE:
    case DUCKDB_ERROR_MISMATCH_TYPE: state = "42804"; break;
    case DUCKDB_ERROR_SYNTAX: state = sqlstate::kSyntaxError; break;
    case DUCKDB_ERROR_DEPENDENCY: state = "2BP01"; break;
    case DUCKDB_ERROR_SEQUENCE: state = "2200H"; break;
    default: break;
  }
  PgError result(state, message);
  result.set_position(position);
  return result;
}

PgError ToPgError(const Error& error) {
  const char* state = sqlstate::kInternalError;
  switch (error.kind()) {
    case ErrorKind::kUser: state = "42000"; break;
    case ErrorKind::kData: state = "22000"; break;
    case ErrorKind::kIo: state = "58030"; break;
    case ErrorKind::kInterrupted: state = sqlstate::kQueryCanceled; break;
    case ErrorKind::kInternal: break;
  }
  std::string where = error.location().empty() ? std::string() : error.location().ToString();
  return PgError(state, error.message(), Severity::kError, where, error.hint());
}

}  // namespace cdmlake::server
