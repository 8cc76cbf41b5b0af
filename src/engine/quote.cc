#include "engine/quote.h"

#include "util/error.h"

namespace cdmlake::engine {

namespace {
std::string Quote(std::string_view text, char quote, const char* what) {
  if (text.find('\0') != std::string_view::npos) {
    throw Error(ErrorKind::kData, std::string(what) + " contains a NUL byte");
  }
  std::string out;
  out.reserve(text.size() + 2);
  out += quote;
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  out += quote;
  return out;
}
}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  if (name.empty()) throw Error(ErrorKind::kData, "an SQL identifier is empty");
  return Quote(name, '"', "SQL identifier");
}

std::string QuoteQualified(std::string_view schema, std::string_view name) {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

std::string QuoteLiteral(std::string_view text) { return Quote(text, '\'', "SQL string literal"); }

std::string QuoteLiteralList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteLiteral(items[i]);
  }
  return out + "]";
}

std::string QuoteFilePath(std::string_view path) {
  std::string escaped;
  for (char c : path) {
    if (c == '*' || c == '?' || c == '[' || c == ']') {
      escaped += '[';
      escaped += c;
      escaped += ']';
    } else {
      escaped += c;
    }
  }
  return QuoteLiteral(escaped);
}

std::string QuoteFilePathList(const std::vector<std::string>& paths) {
  std::string out = "[";
  for (size_t i = 0; i < paths.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteFilePath(paths[i]);
  }
  return out + "]";
}

}  // namespace cdmlake::engine
