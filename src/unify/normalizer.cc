#include "unify/normalizer.h"

#include <algorithm>
#include <numeric>

#include "unify/normalize_unicode.h"

namespace cdmlake::unify {
namespace {

// Union-find over alias keys: each group maps to its smallest key, so the result does not depend on the order
// of the pairs.
class AliasGroups {
 public:
  void Link(const std::string& a, const std::string& b) {
    const size_t ra = Find(Index(a));
    const size_t rb = Find(Index(b));
    if (ra != rb) parent_[std::max(ra, rb)] = std::min(ra, rb);
  }

  // Every key that is not its group's canonical key -> that canonical key.
  template <typename Map>
  void Export(Map* out) {
    std::vector<size_t> smallest(keys_.size());
    std::iota(smallest.begin(), smallest.end(), 0);
    for (size_t i = 0; i < keys_.size(); ++i) {
      size_t& s = smallest[Find(i)];
      if (keys_[i] < keys_[s]) s = i;
    }
    for (size_t i = 0; i < keys_.size(); ++i) {
      const std::string& canonical = keys_[smallest[Find(i)]];
      if (keys_[i] != canonical) out->emplace(keys_[i], canonical);
    }
  }

 private:
  size_t Index(const std::string& key) {
    auto [it, added] = index_.emplace(key, keys_.size());
    if (added) {
      keys_.push_back(key);
      parent_.push_back(parent_.size());
    }
    return it->second;
  }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }

  std::unordered_map<std::string, size_t> index_;
  std::vector<std::string> keys_;
  std::vector<size_t> parent_;
};

}  // namespace

Normalizer::Normalizer(const std::vector<Normalization>& options, NormalizerResources resources)
    : resources_(std::move(resources)), phone_region_(MakePhoneRegion(resources_.default_phone_region)) {
  for (Normalization n : options) on_[static_cast<size_t>(n)] = true;
  for (const auto& [kind, name] : kNormalizationNames) {
    if (On(kind)) options_.push_back(kind);
  }
  name_tables_.push_back(&NameTitleTable());
  if (resources_.nicknames != nullptr) name_tables_.push_back(&resources_.nicknames->canonical);

  // Aliases and bypass values are compared with normalized values, so they are normalized the same way.
  AliasGroups groups;
  for (const auto& [a, b] : resources_.aliases) {
    const std::string ka = Apply(a);
    const std::string kb = Apply(b);
    if (IsBlank(ka) || IsBlank(kb)) continue;  // a null key matches nothing, not even through an alias
    groups.Link(ka, kb);
  }
  groups.Export(&alias_);
  for (const std::string& value : resources_.bypass_values) {
    std::string key = Apply(value);
    if (IsBlank(key)) continue;
    auto it = alias_.find(key);
    bypass_.insert(it == alias_.end() ? std::move(key) : it->second);
  }
}

std::string Normalizer::Apply(std::string_view value) const {
  std::string s(value);
  // Numerals before folding: Latin-ASCII would spell Ⅷ as VIII. Numerals only writes ASCII digits, so this is
  // the fixed order whenever unicode-to-ascii is off.
  if (On(Normalization::kNumerals)) MapNumerals(&s);
  if (On(Normalization::kUnicodeToAscii)) FoldToAscii(&s);
  // Unicode to ASCII includes case folding (spec §1.3: à, Ä, Ⓐ and Ａ all become a), so lowercase adds nothing
  // after it.
  if (On(Normalization::kLowerCase) || On(Normalization::kUnicodeToAscii)) LowerCase(&s);
  if (On(Normalization::kPhone)) s = PhoneKey(s, phone_region_);
  // Reused by the word steps of this thread, so that a rewrite allocates nothing once warm.
  thread_local std::string words;
  auto rewrite = [&s](std::span<const WordTable* const> tables) {
    words.clear();
    RewriteWords(s, tables, &words);
    s.swap(words);
  };
  if (On(Normalization::kName)) rewrite(name_tables_);
  if (On(Normalization::kAddress)) {
    const WordTable* table = &AddressTable();
    rewrite({&table, 1});
  }
  if (On(Normalization::kOrganization)) {
    const WordTable* table = &OrganizationTable();
    rewrite({&table, 1});
  }
  if (On(Normalization::kSymbols)) RemoveSymbols(&s);
  if (On(Normalization::kWhitespace)) RemoveWhitespace(&s);
  return s;
}

std::optional<std::string> Normalizer::Normalize(std::string_view value) const {
  std::string key = Apply(value);
  if (IsBlank(key)) return std::nullopt;
  if (!alias_.empty()) {
    auto it = alias_.find(key);
    if (it != alias_.end()) key = it->second;
  }
  if (bypass_.contains(key)) return std::nullopt;
  return key;
}

}  // namespace cdmlake::unify
