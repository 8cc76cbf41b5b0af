// Small string helpers shared by every module. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cdmlake {

std::string ToLower(std::string_view s);
// ASCII upper case (D365 metadata names are ASCII; EMEX names its files in upper case).
std::string ToUpper(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix);
std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char separator);
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
// Removes a leading UTF-8 byte order mark, which some CDM producers write.
std::string_view StripUtf8Bom(std::string_view s);
// Decodes %XX escapes (URL locations in model.json); invalid escapes are kept as they are.
std::string PercentDecode(std::string_view s);
// A name made safe as one path component: bytes other than letters, digits, '_', '-' and a non-leading '.' are
// percent-encoded, so names from metadata ("../x", "a/b") cannot leave their folder, and different names stay
// different.
std::string SafeFileName(std::string_view name);
// A JSON string literal (quotes included) with the escapes JSON requires.
std::string JsonQuote(std::string_view value);
// The same, appended to *out (no temporary string, for large documents).
void AppendJsonQuoted(std::string* out, std::string_view value);
// Parses a whole decimal integer; false when s is not one (or overflows).
bool ParseInt64(std::string_view s, int64_t* out);

}  // namespace cdmlake
