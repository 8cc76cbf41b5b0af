#include "unify/match_score.h"

#include <algorithm>

#include "unify/levenshtein.h"

namespace cdmlake::unify {

double ScoreFromDistance(size_t distance, size_t base) {
  if (base == 0) return 1.0;
  return static_cast<double>(base - std::min(distance, base)) / static_cast<double>(base);
}

double MatchScore(std::string_view a, std::string_view b) {
  return ScoreFromDistance(Levenshtein(a, b), std::max(EditLength(a), EditLength(b)));
}

size_t MaxEditsFor(size_t max_length, Precision precision) {
  const auto percent = static_cast<size_t>(std::clamp(precision.percent, 0, 100));
  return max_length * (100 - percent) / 100;
}

std::optional<double> FuzzyMatchScore(std::string_view a, std::string_view b, Precision precision) {
  if (a.empty() || b.empty()) return std::nullopt;
  if (precision.exact()) return a == b ? std::optional<double>(1.0) : std::nullopt;
  const size_t length_a = EditLength(a);
  const size_t length_b = EditLength(b);
  const size_t base = std::max(length_a, length_b);
  const size_t k = MaxEditsFor(base, precision);
  // The length difference is a lower bound of the distance; LevenshteinAtMost checks it too, but only after
  // decoding non-ASCII values.
  if (base - std::min(length_a, length_b) > k) return std::nullopt;
  const size_t distance = LevenshteinAtMost(a, b, k);
  if (distance > k) return std::nullopt;
  return ScoreFromDistance(distance, base);
}

bool FuzzyMatch(std::string_view a, std::string_view b, Precision precision) {
  return FuzzyMatchScore(a, b, precision).has_value();
}

}  // namespace cdmlake::unify
