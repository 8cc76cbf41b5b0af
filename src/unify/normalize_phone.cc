#include "unify/normalize_phone.h"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>

#include "util/error.h"

namespace cdmlake::unify {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// value with the zeros written right after a leading '+' removed ("+01 425" -> "+1 425"): no country code starts
// with 0, and libphonenumber refuses such numbers. Also says whether there is such a '+'.
std::string WithoutCountryCodeZeros(std::string_view value, bool* plus) {
  *plus = false;
  std::string out;
  out.reserve(value.size());
  size_t i = 0;
  for (; i < value.size(); ++i) {
    const char c = value[i];
    out += c;
    if (IsAsciiDigit(c)) return out.append(value.substr(i + 1));
    if (c == '+') {
      *plus = true;
      ++i;
      break;
    }
  }
  bool leading = true;
  for (; i < value.size(); ++i) {
    const char c = value[i];
    if (leading && c == '0') continue;
    if (IsAsciiDigit(c)) leading = false;
    out += c;
  }
  return out;
}

// The extension after a North American number that libphonenumber also recognizes: "x", "ext", "ext.",
// "extension" or "#", optional spaces, '.' or ':', then 1 to 7 digits and nothing else.
bool IsSimpleExtension(std::string_view tail) {
  std::string word;
  size_t i = 0;
  while (i < tail.size() && (IsAsciiLetter(tail[i]) || tail[i] == '#') && word.size() < 10) word += AsciiLower(tail[i++]);
  if (word != "x" && word != "ext" && word != "extension" && word != "#") return false;
  while (i < tail.size() && (tail[i] == ' ' || tail[i] == '.' || tail[i] == ':')) ++i;
  size_t digits = 0;
  while (i < tail.size() && IsAsciiDigit(tail[i])) ++i, ++digits;
  while (i < tail.size() && tail[i] == ' ') ++i;
  return i == tail.size() && digits >= 1 && digits <= 7;
}

// libphonenumber's key for a plainly written North American number, or false when the value is anything else
// (then libphonenumber decides). Accepts digits with the separators " ()-./", a '+' only in front, and a
// simple extension; a national "1" prefix is dropped as libphonenumber drops it.
bool NorthAmericanKey(std::string_view value, const PhoneRegion& region, std::string* key) {
  std::string digits;
  bool plus = false;
  size_t i = 0;
  while (i < value.size() && value[i] == ' ') ++i;
  if (i < value.size() && value[i] == '+') plus = true, ++i;
  for (; i < value.size(); ++i) {
    const char c = value[i];
    if (IsAsciiDigit(c)) {
      digits += c;
    } else if (c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/') {
      continue;
    } else if ((IsAsciiLetter(c) || c == '#') && !digits.empty()) {
      if (!IsSimpleExtension(value.substr(i))) return false;
      break;
    } else {
      return false;
    }
  }
  if (plus) {
    size_t zeros = 0;
    while (zeros < digits.size() && digits[zeros] == '0') ++zeros;
    digits.erase(0, zeros);
  } else if (region.country_code != 1) {
    return false;
  } else if (digits.size() == 10 && digits[0] >= '2') {
    *key = "1" + digits;
    return true;
  }
  if (digits.size() == 11 && digits[0] == '1' && digits[1] >= '2') {
    *key = std::move(digits);
    return true;
  }
  return false;
}

}  // namespace

bool IsKnownPhoneRegion(std::string_view code) {
  return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(std::string(code)) != 0;
}

PhoneRegion MakePhoneRegion(std::string_view code) {
  PhoneRegion region;
  for (char c : code) region.code += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (region.code.empty()) return region;
  region.country_code = PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region.code);
  if (region.country_code == 0) {
    throw Error(ErrorKind::kUser, "unknown default phone region \"" + std::string(code) + "\"", {},
                "use a two-letter ISO 3166 country code such as US, GB or DE, or leave it empty");
  }
  return region;
}

std::string PhoneDigits(std::string_view value) {
  std::string digits;
  bool plus = false;
  const int32_t length = static_cast<int32_t>(value.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(value.data(), i, length, c);
    if (c >= '0' && c <= '9') {
      digits += static_cast<char>(c);
    } else if (c == '+' && digits.empty()) {
      plus = true;
    } else if (c < 0) {
      continue;
    } else if (c >= 0x80 && u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      digits += static_cast<char>('0' + u_charDigitValue(c));
    } else if ((c == '#' || u_isalpha(c)) && !digits.empty()) {
      break;  // an extension: "x123", "ext. 12", "#12"
    }
  }
  if (plus) {
    size_t zeros = 0;
    while (zeros < digits.size() && digits[zeros] == '0') ++zeros;
    digits.erase(0, zeros);
  }
  return digits;
}

std::string PhoneKeyWithLibphonenumber(std::string_view value, const PhoneRegion& region) {
  bool plus = false;
  const std::string input = WithoutCountryCodeZeros(value, &plus);
  // Without a region, a number without '+' has no country code, and the docs want it kept that way.
  if (!plus && region.code.empty()) return PhoneDigits(value);
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(input, region.code.empty() ? "ZZ" : region.code, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return PhoneDigits(value);
  }
  std::string national;
  util.GetNationalSignificantNumber(number, &national);  // the extension is a separate field: dropped
  return std::to_string(number.country_code()) + national;
}

std::string PhoneKey(std::string_view value, const PhoneRegion& region) {
  std::string key;
  if (NorthAmericanKey(value, region, &key)) return key;
  return PhoneKeyWithLibphonenumber(value, region);
}

}  // namespace cdmlake::unify
