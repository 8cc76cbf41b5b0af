// The noise of the customer generator: the rate of each kind per level, and the edits that apply it (typos,
// accent and case variants, phone and date formats). Every rate is a probability per record (or per field of a
// record where it says so), drawn independently; docs/customer-generator.md has the same table.
//
// | kind                                   | low   | medium | high  |
// |----------------------------------------|-------|--------|-------|
// | typo in a name field (per field)       | 2%    | 5%     | 12%   |
// | typo in the e-mail                     | 1%    | 3%     | 8%    |
// | typo in the street                     | 2%    | 5%     | 12%   |
// | nickname (when the name has one)       | 3%    | 10%    | 20%   |
// | first and last name swapped            | 1%    | 4%     | 10%   |
// | name in upper or lower case            | 2%    | 5%     | 10%   |
// | accents dropped (names with accents)   | 20%   | 40%    | 70%   |
// | phone in another format                | 10%   | 30%    | 60%   |
// | phone extension (x123)                 | 1%    | 3%     | 6%    |
// | birth date in another format (POS)     | 2%    | 10%    | 25%   |
// | birth date day and month swapped       | 0%    | 1%     | 3%    |
// | missing value (per optional field)     | 2%    | 7%     | 18%   |
// | dummy phone / dummy e-mail (each)      | 0.5%  | 2%     | 4%    |
// | another e-mail of the same person      | 1%    | 3%     | 8%    |
// | older address (moved)                  | 1%    | 3%     | 8%    |
// | duplicate record in the same source    | 2%    | 5%     | 10%   |
//
// Typos are one edit (insert, delete, substitute or transpose adjacent letters, equally likely) at an ASCII
// letter, so UTF-8 stays valid and the edit distance to the true value is 1. The medium level is meant to stay
// resolvable by sensible rules: e-mail, or phone plus name, survive in most records.
//
// Pure functions of their arguments (and the Random passed in); thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "generate/random.h"

namespace cdmlake::generate {

enum class NoiseLevel { kLow, kMedium, kHigh };

// The kinds of noise, in the order of the table above.
enum NoiseKind : int {
  kNameTypo,
  kEmailTypo,
  kStreetTypo,
  kNickname,
  kSwappedNames,
  kCaseVariant,
  kAccentStripped,
  kPhoneFormat,
  kPhoneExtension,
  kDateFormat,
  kDateTransposed,
  kMissing,
  kDummyValue,
  kOtherEmail,
  kMoved,
  kDuplicate,
  kNoiseKindCount,
};

struct NoiseRates {
  double rate[kNoiseKindCount];
};

// How often each kind was tried (a record or field where it could apply) and applied, for the summary and tests.
struct NoiseTally {
  int64_t chances[kNoiseKindCount] = {};
  int64_t applied[kNoiseKindCount] = {};
};

// Draws the noise of one level and counts what it draws.
class Noise {
 public:
  explicit Noise(NoiseRates rates) : rates_(rates) {}
  // Whether this kind of noise applies here: true with the level's rate.
  bool Roll(Random& rng, NoiseKind kind) {
    ++tally_.chances[kind];
    bool hit = rng.Chance(rates_.rate[kind]);
    tally_.applied[kind] += hit;
    return hit;
  }
  const NoiseTally& tally() const { return tally_; }

 private:
  NoiseRates rates_;
  NoiseTally tally_;
};

// A short name of the kind for summaries, e.g. "name_typo".
const char* NoiseKindName(NoiseKind kind);

NoiseRates RatesFor(NoiseLevel level);
// "low", "medium", "high"; throws Error(kUser) naming the accepted values otherwise.
NoiseLevel ParseNoiseLevel(std::string_view text);
const char* NoiseLevelName(NoiseLevel level);

// Applies one typo to *s at a random ASCII letter (nothing when s has none).
void ApplyTypo(Random& rng, std::string* s);
// Replaces the accented Latin-1 letters of s (UTF-8) by their plain ASCII letter: "José" -> "Jose".
std::string StripAccents(std::string_view s);
bool HasNonAscii(std::string_view s);
void ToUpperAscii(std::string* s);
void ToLowerAscii(std::string* s);

// Ways to write a ten-digit US phone number (area code, exchange, line).
enum class PhoneFormat {
  kParentheses,  // (425) 555-0123
  kDashes,       // 425-555-0123
  kDots,         // 425.555.0123
  kE164Spaced,   // +1 425 555 0123
  kDigits,       // 4255550123
};
inline constexpr int kPhoneFormatCount = 5;
void AppendPhone(std::string* out, int area, int exchange, int line, PhoneFormat format);

// Ways to write a date.
enum class DateFormat {
  kIso,         // 1985-03-14
  kUsSlashes,   // 3/14/1985
  kEuropeDots,  // 14.3.1985
};
inline constexpr int kDateFormatCount = 3;
void AppendDate(std::string* out, int year, int month, int day, DateFormat format);

}  // namespace cdmlake::generate
