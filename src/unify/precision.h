// The precision of a match condition (spec unification.md §1.4): the lowest score at which two values match.
// Basic levels Low 30%, Medium 60%, High 80% and Exact 100% (the default), or Custom in 1% steps. Shared by the
// configuration reader (which parses it) and the matcher (match_score.h). Plain values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace cdmlake::unify {

struct Precision {
  // The minimum score in whole percent, 1..100. Whole percents keep every threshold test in integer arithmetic.
  int percent = 100;

  bool exact() const { return percent == 100; }
  friend bool operator==(Precision, Precision) = default;
};

inline constexpr Precision kPrecisionLow{30};
inline constexpr Precision kPrecisionMedium{60};
inline constexpr Precision kPrecisionHigh{80};
inline constexpr Precision kPrecisionExact{100};

// Parses "exact", "high", "medium", "low" (any case) or a whole percentage "NN%" from 1% to 100%; surrounding
// spaces are ignored, as is a space before '%'. nullopt for anything else. 0% is refused: it would make every
// pair of non-empty values match, which is never what a rule means.
std::optional<Precision> TryParsePrecision(std::string_view text);

// The same, throwing Error(kUser) that quotes the text and lists the accepted forms; `where` locates it (the
// configuration file and line).
Precision ParsePrecision(std::string_view text, const Location& where = {});

// The configuration spelling: "exact", "high", "medium", "low" for the basic levels, otherwise "NN%".
std::string PrecisionName(Precision precision);

}  // namespace cdmlake::unify
