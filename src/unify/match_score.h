// The score of a fuzzy match condition and the match test at a precision (spec unification.md §1.4,
// docs/unify-matching.md).
//
// score = (base - distance) / base, distance = Levenshtein (levenshtein.h, bytes for ASCII, else code points).
// [our choice] base = the length of the LONGER value: symmetric and always in [0, 1]. The Customer Insights docs
// divide by the shorter one in their example (robert2020@hotmail.com vs robrt2020@hotmail.cm: (20 - 2) / 20 = 0.9);
// here that pair scores (22 - 2) / 22 = 0.909. Two values match when score >= precision; the test is done in
// integers (distance <= floor(base * (100 - p) / 100)) so that a score of exactly 80% matches at 80% whatever the
// floating-point rounding. Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "unify/precision.h"

namespace cdmlake::unify {

// The score for a known distance and base length; 1.0 when base is 0 (two empty values are identical).
double ScoreFromDistance(size_t distance, size_t base);

// The score of a against b with base = max(length); 1.0 for two empty values.
double MatchScore(std::string_view a, std::string_view b);

// The largest distance that still matches at `precision` when the longer value has max_length units:
// floor(max_length * (100 - percent) / 100). 0 at Exact.
size_t MaxEditsFor(size_t max_length, Precision precision);

// Whether a and b match at `precision`. Exact is byte equality (after normalization the values are compared as
// they are). An empty value on either side never matches (spec §1.3: null or empty makes the condition false).
// Uses the bounded kernel, so a clear mismatch costs little.
bool FuzzyMatch(std::string_view a, std::string_view b, Precision precision);

// The same, returning the score of a match (for the per-pair lineage of rule and score) or nullopt.
std::optional<double> FuzzyMatchScore(std::string_view a, std::string_view b, Precision precision);

}  // namespace cdmlake::unify
