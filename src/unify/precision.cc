#include "unify/precision.h"

#include <array>
#include <utility>

#include "util/strings.h"

namespace cdmlake::unify {
namespace {

constexpr std::array<std::pair<std::string_view, Precision>, 4> kLevels{{
    {"exact", kPrecisionExact},
    {"high", kPrecisionHigh},
    {"medium", kPrecisionMedium},
    {"low", kPrecisionLow},
}};

}  // namespace

std::optional<Precision> TryParsePrecision(std::string_view text) {
  text = Trim(text);
  for (const auto& [name, precision] : kLevels) {
    if (EqualsIgnoreCase(text, name)) return precision;
  }
  if (text.empty() || text.back() != '%') return std::nullopt;
  const std::string_view digits = Trim(text.substr(0, text.size() - 1));
  // At most three digits: "0080%" is suspicious enough to refuse, and no overflow is possible.
  if (digits.empty() || digits.size() > 3) return std::nullopt;
  int percent = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    percent = percent * 10 + (c - '0');
  }
  if (percent < 1 || percent > 100) return std::nullopt;
  return Precision{percent};
}

Precision ParsePrecision(std::string_view text, const Location& where) {
  if (auto precision = TryParsePrecision(text)) return *precision;
  throw Error(ErrorKind::kUser, "precision '" + std::string(text) + "' is not valid", where,
              "use exact, high (80%), medium (60%), low (30%) or a whole percentage from 1% to 100%");
}

std::string PrecisionName(Precision precision) {
  for (const auto& [name, level] : kLevels) {
    if (level == precision) return std::string(name);
  }
  return std::to_string(precision.percent) + "%";
}

}  // namespace cdmlake::unify
