#include "generate/customer_noise.h"

#include <charconv>
#include <utility>

#include "util/error.h"

namespace cdmlake::generate {

namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// A random letter of the same case as model.
char RandomLetter(Random& rng, char model) {
  char c = static_cast<char>('a' + rng.Uniform(26));
  return IsUpper(model) ? static_cast<char>(c - 'a' + 'A') : c;
}

void AppendNumber(std::string* out, int v) {
  char buf[12];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, result.ptr);
}

void AppendPadded(std::string* out, int v, int width) {
  char buf[12];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  for (int n = static_cast<int>(result.ptr - buf); n < width; ++n) out->push_back('0');
  out->append(buf, result.ptr);
}

// The ASCII letter of each Latin-1 letter U+00C0..U+00FF ('x' and '/' for the two signs among them).
constexpr std::string_view kLatin1Ascii = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";

}  // namespace

NoiseRates RatesFor(NoiseLevel level) {
  // Columns: low, medium, high; rows in NoiseKind order (the table in the header).
  static constexpr double kRates[kNoiseKindCount][3] = {
      {0.02, 0.05, 0.12},   // name typo (per name field)
      {0.01, 0.03, 0.08},   // e-mail typo
      {0.02, 0.05, 0.12},   // street typo
      {0.03, 0.10, 0.20},   // nickname
      {0.01, 0.04, 0.10},   // swapped first and last name
      {0.02, 0.05, 0.10},   // upper or lower case
      {0.20, 0.40, 0.70},   // accents dropped
      {0.10, 0.30, 0.60},   // phone in another format
      {0.01, 0.03, 0.06},   // phone extension
      {0.02, 0.10, 0.25},   // date in another format
      {0.00, 0.01, 0.03},   // day and month swapped
      {0.02, 0.07, 0.18},   // missing value (per optional field)
      {0.005, 0.02, 0.04},  // dummy phone or e-mail (each)
      {0.01, 0.03, 0.08},   // another e-mail
      {0.01, 0.03, 0.08},   // moved
      {0.02, 0.05, 0.10},   // duplicate in the same source
  };
  NoiseRates rates;
  for (int k = 0; k < kNoiseKindCount; ++k) rates.rate[k] = kRates[k][static_cast<int>(level)];
  return rates;
}

const char* NoiseKindName(NoiseKind kind) {
  static constexpr const char* kNames[kNoiseKindCount] = {
      "name_typo",  "email_typo",    "street_typo", "nickname",        "swapped_names", "case_variant",
      "accents",    "phone_format",  "phone_ext",   "date_format",     "date_transposed", "missing",
      "dummy_value", "other_email",  "moved",       "duplicate"};
  return kind >= 0 && kind < kNoiseKindCount ? kNames[kind] : "?";
}

NoiseLevel ParseNoiseLevel(std::string_view text) {
  if (text == "low") return NoiseLevel::kLow;
  if (text == "medium") return NoiseLevel::kMedium;
  if (text == "high") return NoiseLevel::kHigh;
  throw Error(ErrorKind::kUser, "unknown noise level '" + std::string(text) + "': use low, medium or high");
}

const char* NoiseLevelName(NoiseLevel level) {
  switch (level) {
    case NoiseLevel::kLow:
      return "low";
    case NoiseLevel::kMedium:
      return "medium";
    case NoiseLevel::kHigh:
      return "high";
  }
  return "?";
}

void ApplyTypo(Random& rng, std::string* s) {
  size_t letters = 0;
  for (char c : *s) letters += IsAsciiLetter(c);
  if (letters == 0) return;
  // The position of the k-th ASCII letter.
  size_t k = rng.Uniform(letters), at = 0;
  for (;; ++at) {
    if (IsAsciiLetter((*s)[at]) && k-- == 0) break;
  }
  char c = (*s)[at];
  switch (rng.Uniform(4)) {
    case 0:  // insert a letter after it
      s->insert(at + 1, 1, RandomLetter(rng, 'a'));
      return;
    case 1:  // delete it, unless that would empty the value
      if (s->size() > 1) {
        s->erase(at, 1);
        return;
      }
      break;
    case 2:
      break;
    default:  // transpose it with the next letter, when that is a different ASCII letter
      if (at + 1 < s->size() && IsAsciiLetter((*s)[at + 1]) && (*s)[at + 1] != c) {
        std::swap((*s)[at], (*s)[at + 1]);
        return;
      }
      break;
  }
  // Substitute: another letter of the same case.
  char replacement = RandomLetter(rng, c);
  if (replacement == c) replacement = c == 'z' ? 'a' : c == 'Z' ? 'A' : static_cast<char>(c + 1);
  (*s)[at] = replacement;
}

std::string StripAccents(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b == 0xC3 && i + 1 < s.size()) {
      auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0xBF) {
        out.push_back(kLatin1Ascii[next - 0x80]);
        ++i;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

bool HasNonAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

// Only ASCII letters change case: the bytes of UTF-8 sequences are all >= 0x80 and stay as they are.
void ToUpperAscii(std::string* s) {
  for (char& c : *s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
}

void ToLowerAscii(std::string* s) {
  for (char& c : *s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

void AppendPhone(std::string* out, int area, int exchange, int line, PhoneFormat format) {
  switch (format) {
    case PhoneFormat::kParentheses:
      out->push_back('(');
      AppendNumber(out, area);
      out->append(") ");
      AppendPadded(out, exchange, 3);
      out->push_back('-');
      AppendPadded(out, line, 4);
      return;
    case PhoneFormat::kDashes:
    case PhoneFormat::kDots: {
      char separator = format == PhoneFormat::kDashes ? '-' : '.';
      AppendNumber(out, area);
      out->push_back(separator);
      AppendPadded(out, exchange, 3);
      out->push_back(separator);
      AppendPadded(out, line, 4);
      return;
    }
    case PhoneFormat::kE164Spaced:
      out->append("+1 ");
      AppendNumber(out, area);
      out->push_back(' ');
      AppendPadded(out, exchange, 3);
      out->push_back(' ');
      AppendPadded(out, line, 4);
      return;
    case PhoneFormat::kDigits:
      AppendNumber(out, area);
      AppendPadded(out, exchange, 3);
      AppendPadded(out, line, 4);
      return;
  }
}

void AppendDate(std::string* out, int year, int month, int day, DateFormat format) {
  switch (format) {
    case DateFormat::kIso:
      AppendPadded(out, year, 4);
      out->push_back('-');
      AppendPadded(out, month, 2);
      out->push_back('-');
      AppendPadded(out, day, 2);
      return;
    case DateFormat::kUsSlashes:
      AppendNumber(out, month);
      out->push_back('/');
      AppendNumber(out, day);
      out->push_back('/');
      AppendPadded(out, year, 4);
      return;
    case DateFormat::kEuropeDots:
      AppendNumber(out, day);
      out->push_back('.');
      AppendNumber(out, month);
      out->push_back('.');
      AppendPadded(out, year, 4);
      return;
  }
}

}  // namespace cdmlake::generate
