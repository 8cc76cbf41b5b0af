// Errors that cross module boundaries.
//
// Code inside cdmlake throws cdmlake::Error; the edges (the command line, a server session) catch it and turn
// it into an exit code or a SQLSTATE. An Error says what went wrong, where (file, line, entity) and, when we
// know it, what the user can do about it. Thread-safe: Error is an immutable value.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace cdmlake {

enum class ErrorKind {
  kUser,         // bad command-line arguments or configuration: exit code 1
  kData,         // bad input data or metadata in the lake: exit code 1
  kIo,           // a file could not be read or written: exit code 1
  kInterrupted,  // the user interrupted the work: exit code 1
  kInternal,     // a bug in cdmlake or an engine failure we did not expect: exit code 2
};

// Where an error happened. Any part may be empty; line 0 means "no line".
struct Location {
  std::string file;
  int64_t line = 0;
  std::string entity;

  bool empty() const { return file.empty() && line == 0 && entity.empty(); }
  // "file:line (entity X)", leaving out the parts that are empty.
  std::string ToString() const;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, Location location = {}, std::string hint = {});

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const Location& location() const { return location_; }
  const std::string& hint() const { return hint_; }

  // The exit code of the command line for this kind of error.
  int ExitCode() const { return kind_ == ErrorKind::kInternal ? 2 : 1; }

 private:
  ErrorKind kind_;
  std::string message_;
  Location location_;
  std::string hint_;
};

// Formats "location: message" plus "\n  hint: ..." when there is a hint; used by what().
std::string FormatError(const Location& location, const std::string& message, const std::string& hint);

}  // namespace cdmlake
