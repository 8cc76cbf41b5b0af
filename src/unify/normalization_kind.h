#pragma once
// The normalization options of a match condition (docs/unify.md, spec unification.md §1.3), shared by the
// configuration reader (config.h) and the normalizers (normalizer.h). Normalizations change comparison keys only,
// never output values.

#include <array>
#include <optional>
#include <utility>
#include <string_view>

namespace cdmlake::unify {

// Listed in the fixed order in which they are applied (spec §1.3, [our choice]); alias mapping and bypass values
// come last and are configured as lists, not as options.
enum class Normalization {
  kUnicodeToAscii,  // à, Ä, Ⓐ, Ａ -> a (ICU "Any-Latin; Latin-ASCII")
  kNumerals,        // Ⅷ, ❽ -> 8
  kLowerCase,       // Unicode lower-casing
  kPhone,           // Type-Phone: digits, country code significant, extensions dropped
  kName,            // Type-Name: nicknames and titles to a canonical form
  kAddress,         // Type-Address: street -> st, northwest -> nw
  kOrganization,    // Type-Organization: legal noise words (inc, ltd, corp) removed
  kSymbols,         // punctuation and symbols (Unicode P* and S*) removed
  kWhitespace,      // every whitespace character removed
};

inline constexpr std::array<std::pair<Normalization, std::string_view>, 9> kNormalizationNames{{
    {Normalization::kUnicodeToAscii, "unicode-to-ascii"},
    {Normalization::kNumerals, "numerals"},
    {Normalization::kLowerCase, "lowercase"},
    {Normalization::kPhone, "type-phone"},
    {Normalization::kName, "type-name"},
    {Normalization::kAddress, "type-address"},
    {Normalization::kOrganization, "type-organization"},
    {Normalization::kSymbols, "symbols"},
    {Normalization::kWhitespace, "whitespace"},
}};

// The configuration name of `n` (as in docs/unify.md).
constexpr std::string_view NormalizationName(Normalization n) {
  for (const auto& [kind, name] : kNormalizationNames) {
    if (kind == n) return name;
  }
  return "?";
}

// The option named `name` (exact, lower case), or nullopt.
constexpr std::optional<Normalization> ParseNormalization(std::string_view name) {
  for (const auto& [kind, text] : kNormalizationNames) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

}  // namespace cdmlake::unify
