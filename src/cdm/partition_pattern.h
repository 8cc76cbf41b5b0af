// Data partition patterns with the CDM SDK's matching semantics.
//
// Every file below the pattern's rootLocation is taken as a path relative to that root with a leading '/', and is
// kept when the whole path matches. A glob is translated to a regular expression as the SDK does: a leading '/'
// is implied, '*' matches within one folder, '?' one character, '\' a separator, and '**' crosses folders (also
// zero of them) when it is a whole path segment (and acts like '*' elsewhere). A glob wins over a regex. Regex
// capture groups bind, in order, to the pattern's parameters. Thread-safe.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cdmlake::cdm {

// The regular expression (ECMAScript syntax) for a glob pattern.
std::string GlobToRegex(std::string_view glob);

class PatternMatcher {
 public:
  // Compiles the pattern. On an invalid regex, ok() is false and error() says why.
  PatternMatcher(std::string_view glob, std::string_view regex);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& expression() const { return expression_; }

  // Matches a path relative to the root; a missing leading '/' is added. On a match, returns the captures of the
  // groups (the last capture of each), in order; nullopt when the path does not match.
  std::optional<std::vector<std::string>> Match(std::string_view relative_path) const;

 private:
  std::string expression_;
  std::regex regex_;
  std::string error_;
};

}  // namespace cdmlake::cdm
