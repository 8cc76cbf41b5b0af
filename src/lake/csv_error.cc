#include "lake/csv_error.h"

#include <cstring>
#include <string_view>

#include "util/strings.h"

namespace cdmlake::lake {

namespace {

// The rest of the line after `key` in the message, trimmed; "" when the key is not there.
std::string Field(const std::string& message, const std::string& key) {
  size_t pos = message.find(key);
  if (pos == std::string::npos) return "";
  pos += key.size();
  size_t end = message.find('\n', pos);
  return std::string(Trim(message.substr(pos, end == std::string::npos ? std::string::npos : end - pos)));
}

}  // namespace

std::optional<CsvErrorDetail> ParseCsvError(const std::string& message) {
  if (message.find("CSV Error on Line: ") == std::string::npos) return std::nullopt;
  CsvErrorDetail out;
  ParseInt64(Field(message, "CSV Error on Line: "), &out.line);
  out.file = Field(message, "  file = ");
  // The reason is the first line in DuckDB's message that says what is wrong; the original row (which may span
  // several lines itself) comes before it.
  size_t reason_at = std::string::npos;
  static const char* const kReasons[] = {"Error when converting", "Expected Number of Columns", "Value with unterminated",
                                         "Invalid unicode", "Maximum line size"};
  for (const char* prefix : kReasons) {
    size_t pos = message.find(std::string("\n") + prefix);
    if (pos != std::string::npos && pos < reason_at) reason_at = pos;
  }
  if (reason_at != std::string::npos) {
    size_t end = message.find('\n', reason_at + 1);
    out.reason = message.substr(reason_at + 1, end == std::string::npos ? std::string::npos : end - reason_at - 1);
  }
  // The original row runs from "Original Line: " to the reason and may span lines itself: show it on one line.
  if (size_t o = message.find("Original Line: "); o != std::string::npos) {
    o += std::strlen("Original Line: ");
    size_t end = reason_at != std::string::npos && reason_at > o ? reason_at : message.find('\n', o);
    std::string_view raw = std::string_view(message).substr(o, end == std::string::npos ? std::string::npos : end - o);
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
    for (char c : raw) out.original += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : std::string(1, c);
  }
  if (out.original.size() > 200) out.original = out.original.substr(0, 200) + "...";
  if (out.reason.empty()) out.reason = "the row cannot be read";
  return out;
}

}  // namespace cdmlake::lake
