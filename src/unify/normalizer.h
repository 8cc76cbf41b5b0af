// The comparison key of a match condition's value (spec unification.md §1.3, docs/unify-normalizations.md).
// Normalizations change comparison keys only, never output values.
//
// A Normalizer is built once per condition column (and per source, when sources have different default phone
// regions) from a set of options and resources, then applied to every value. The options run in the fixed order
// of normalization_kind.h whatever order they are listed in, then alias mapping, then bypass values:
//
//   unicode-to-ascii, numerals, lowercase, type-phone, type-name, type-address, type-organization, symbols,
//   whitespace, alias mapping, bypass.
//
// One exception inside that order: when numerals and unicode-to-ascii are both on, numeric characters are left
// to numerals (Ⅷ -> 8, not VIII).
//
// Thread-safety: a Normalizer is immutable after construction; Normalize is const and may be called from many
// threads at once (per-thread ICU transliterators, see normalize_unicode.h).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "unify/normalization_kind.h"
#include "unify/normalize_nicknames.h"
#include "unify/normalize_phone.h"
#include "unify/normalize_words.h"

namespace cdmlake::unify {

struct NormalizerResources {
  // Type-Name's nickname table (LoadNicknameFile); null: type-name canonicalizes titles only.
  std::shared_ptr<const NicknameTable> nicknames;
  // Type-Phone: the ISO 3166 region ("US") in which numbers written without a country code are read; empty:
  // such numbers keep no country code and do not match the same number written with one.
  std::string default_phone_region;
  // Values that always count as an exact match (Scott~Scooter, MSFT~Microsoft). Pairs sharing a value form one
  // group; every member's key becomes the group's canonical key, the smallest normalized member.
  std::vector<std::pair<std::string, std::string>> aliases;
  // Values that never match (555-1212, test@contoso.com): compared after normalization, their keys are null.
  std::vector<std::string> bypass_values;
};

class Normalizer {
 public:
  // Throws Error(kUser) for an unknown default phone region.
  Normalizer(const std::vector<Normalization>& options, NormalizerResources resources);

  // The comparison key of value, or nullopt when the key is empty or only whitespace, or a bypass value.
  std::optional<std::string> Normalize(std::string_view value) const;

  // The options in the order they are applied, without repeats.
  const std::vector<Normalization>& options() const { return options_; }

 private:
  bool On(Normalization n) const { return on_[static_cast<size_t>(n)]; }
  // The options only (no alias, no bypass); the result may be blank.
  std::string Apply(std::string_view value) const;

  std::vector<Normalization> options_;
  std::array<bool, kNormalizationNames.size()> on_{};
  NormalizerResources resources_;
  PhoneRegion phone_region_;
  std::vector<const WordTable*> name_tables_;  // titles, then nicknames
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> alias_;  // key -> canonical key
  std::unordered_set<std::string, StringHash, std::equal_to<>> bypass_;
};

}  // namespace cdmlake::unify
