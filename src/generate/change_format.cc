#include "generate/change_format.h"

#include "generate/calendar.h"

#include <cstdio>

namespace cdmlake::generate {

namespace {


struct Civil {
  int year, month, day, hour, minute, second;
};

Civil ToCivil(int64_t unix_seconds) {
  int64_t days = unix_seconds / 86400, rest = unix_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  Civil c{};
  CivilFromDays(days, &c.year, &c.month, &c.day);
  c.hour = static_cast<int>(rest / 3600);
  c.minute = static_cast<int>(rest / 60 % 60);
  c.second = static_cast<int>(rest % 60);
  return c;
}

std::string IsoBody(int64_t unix_seconds) {
  Civil c = ToCivil(unix_seconds);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.0000000", c.year, c.month, c.day, c.hour, c.minute,
                c.second);
  return buffer;
}

}  // namespace

std::vector<std::vector<std::string>> SplitRawCsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false;
  bool any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    any = true;
    if (c == '"') {
      in_quotes = !in_quotes;  // a doubled quote toggles twice and stays in the field
      field += c;
    } else if (!in_quotes && c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (!in_quotes && c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      fields.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(fields));
      fields.clear();
      any = false;
    } else {
      field += c;
    }
  }
  if (any) {
    fields.push_back(std::move(field));
    records.push_back(std::move(fields));
  }
  return records;
}

std::string QuoteCsv(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string IsoDateTime(int64_t unix_seconds) { return "\"" + IsoBody(unix_seconds) + "Z\""; }

std::string IsoDateTimeOffset(int64_t unix_seconds) { return "\"" + IsoBody(unix_seconds) + "+00:00\""; }

std::string UsDateTime(int64_t unix_seconds) {
  Civil c = ToCivil(unix_seconds);
  int hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%d/%d/%04d %d:%02d:%02d %s", c.month, c.day, c.year, hour12, c.minute, c.second,
                c.hour < 12 ? "AM" : "PM");
  return buffer;
}

int64_t UnixSeconds(int year, int month, int day, int hour, int minute, int second) {
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::string HexText(uint64_t value, int digits, bool lower) {
  std::string out(static_cast<size_t>(digits), '0');
  const char* alphabet = lower ? "0123456789abcdef" : "0123456789ABCDEF";
  for (int i = digits - 1; i >= 0 && value != 0; --i, value >>= 4) out[static_cast<size_t>(i)] = alphabet[value & 15];
  return (lower ? "0x" : "0X") + out;
}

std::string GuidText(uint64_t high, uint64_t low) {
  high = (high & ~0xF000ULL) | 0x4000ULL;                  // version 4
  low = (low & ~(3ULL << 62)) | (2ULL << 62);              // RFC 4122 variant
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(high >> 32), static_cast<unsigned long long>((high >> 16) & 0xFFFF),
                static_cast<unsigned long long>(high & 0xFFFF), static_cast<unsigned long long>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return buffer;
}

std::string DecimalText(int64_t cents) {
  uint64_t magnitude = cents < 0 ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  std::string out = (cents < 0 ? "-" : "") + std::to_string(magnitude / 100);
  uint64_t fraction = magnitude % 100;
  if (fraction == 0) return out;
  out += '.';
  out += static_cast<char>('0' + fraction / 10);
  if (fraction % 10 != 0) out += static_cast<char>('0' + fraction % 10);
  return out;
}

}  // namespace cdmlake::generate
