#include "unify/blocking.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <optional>
#include <string>

#include "unify/levenshtein.h"
#include "unify/match_score.h"
#include "util/error.h"
#include "util/parallel.h"

namespace cdmlake::unify {
namespace {

// An empty key counts as no key: null or empty on either side makes a condition false (spec §1.3).
bool HasKey(const BlockingKey& key) { return key.has_value() && !key->empty(); }

uint64_t HashKey(std::string_view key) { return std::hash<std::string_view>{}(key); }

// Fibonacci hashing spreads the hash over the table's slots whatever its low bits look like.
size_t Slot(uint64_t hash, uint64_t mask) { return static_cast<size_t>((hash * 0x9E3779B97F4A7C15ull) >> 17) & mask; }

void CheckRecordCount(size_t n) {
  if (n >= std::numeric_limits<uint32_t>::max()) {
    throw Error(ErrorKind::kUser, "too many records for one blocking pass (" + std::to_string(n) + ")", {},
                "split the table; record indices are 32-bit");
  }
}

// The key for a warning: at most 100 bytes, cut before a UTF-8 continuation byte.
std::string ShortKey(std::string_view key) {
  constexpr size_t kMax = 100;
  if (key.size() <= kMax) return std::string(key);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
  return std::string(key.substr(0, cut)) + "...";
}

uint64_t PairsOf(uint64_t size) { return size < 2 ? 0 : size * (size - 1) / 2; }

bool IsSkewed(uint64_t rows, uint64_t non_null, const BlockingOptions& options) {
  return rows > options.skew_min_rows && static_cast<double>(rows) > options.skew_share * static_cast<double>(non_null);
}

double Share(uint64_t rows, uint64_t non_null) {
  return non_null == 0 ? 0.0 : static_cast<double>(rows) / static_cast<double>(non_null);
}

void SortWarnings(std::vector<BlockWarning>* warnings) {
  std::stable_sort(warnings->begin(), warnings->end(),
                   [](const BlockWarning& a, const BlockWarning& b) { return a.pairs > b.pairs; });
}

}  // namespace

KeyGroups::KeyGroups(std::span<const BlockingKey> keys) : keys_(keys) {
  CheckRecordCount(keys.size());
  // The hashes first, on all threads (hashing the key text is independent per record); the table is then filled
  // in record order, which fixes the group numbers.
  std::vector<uint64_t> hashes(keys.size());
  std::atomic<size_t> counted{0};
  ParallelFor(keys.size(), 32768, [&](size_t begin, size_t end) {
    size_t n = 0;
    for (size_t i = begin; i < end; ++i) {
      const bool has = HasKey(keys[i]);
      hashes[i] = has ? HashKey(*keys[i]) : 0;
      n += has;
    }
    counted.fetch_add(n);
  });
  const size_t non_null = counted.load();
  size_t capacity = 16;
  while (capacity < 2 * non_null) capacity *= 2;
  table_.assign(capacity, 0);
  mask_ = capacity - 1;

  // One pass assigns group numbers in order of first appearance, i.e. of smallest member; a counting sort by
  // group then lists members ascending. O(n), no comparison sort of the keys.
  std::vector<uint32_t> group_of(keys.size(), 0);
  std::vector<uint32_t> first;   // per group: its first record, whose key stands for the group while building
  std::vector<uint32_t> counts;  // per group
  // The table is larger than the caches at a million keys: each record's slot is fetched some records ahead.
  constexpr size_t kPrefetch = 16;
  for (uint32_t i = 0; i < keys.size(); ++i) {
    if (i + kPrefetch < keys.size()) __builtin_prefetch(&table_[Slot(hashes[i + kPrefetch], mask_)]);
    if (!HasKey(keys[i])) continue;
    const std::string_view key = *keys[i];
    const uint64_t hash = hashes[i];
    size_t slot = Slot(hash, mask_);
    uint32_t group;
    for (;;) {
      const uint32_t entry = table_[slot];
      if (entry == 0) {
        group = static_cast<uint32_t>(group_hash_.size());
        table_[slot] = group + 1;
        group_hash_.push_back(hash);
        first.push_back(i);
        counts.push_back(0);
        break;
      }
      if (group_hash_[entry - 1] == hash && *keys[first[entry - 1]] == key) {
        group = entry - 1;
        break;
      }
      slot = (slot + 1) & mask_;
    }
    group_of[i] = group;
    ++counts[group];
  }
  offsets_.assign(group_hash_.size() + 1, 0);
  for (size_t g = 0; g < counts.size(); ++g) offsets_[g + 1] = offsets_[g] + counts[g];
  members_.resize(non_null);
  std::vector<uint32_t> next(offsets_.begin(), offsets_.end() - 1);
  for (uint32_t i = 0; i < keys.size(); ++i) {
    if (HasKey(keys[i])) members_[next[group_of[i]]++] = i;
  }
}

size_t KeyGroups::Find(std::string_view key) const { return key.empty() ? npos : Find(key, HashKey(key)); }

size_t KeyGroups::Find(std::string_view key, uint64_t hash) const {
  for (size_t slot = Slot(hash, mask_);; slot = (slot + 1) & mask_) {
    const uint32_t entry = table_[slot];
    if (entry == 0) return npos;
    if (group_hash_[entry - 1] == hash && this->key(entry - 1) == key) return entry - 1;
  }
}

ExactBlocking::ExactBlocking(std::span<const BlockingKey> keys, const BlockingOptions& options) : groups_(keys) {
  const uint64_t non_null = groups_.non_null();
  stats_.records = non_null;
  stats_.null_keys = groups_.nulls();
  expand_.assign(groups_.size(), 0);
  for (size_t g = 0; g < groups_.size(); ++g) {
    const uint64_t size = groups_.members(g).size();
    if (size < 2) continue;
    const uint64_t pairs = PairsOf(size);
    ++stats_.blocks;
    stats_.pairs_total += pairs;
    stats_.largest_block = std::max(stats_.largest_block, size);
    const bool over_cap = size > options.max_block_size;
    const bool skewed = IsSkewed(size, non_null, options);
    const bool expand = !over_cap && !(skewed && options.skip_skewed);
    if (expand) {
      expand_[g] = 1;
      ++stats_.expanded_blocks;
      stats_.pairs_expanded += pairs;
    }
    if (over_cap || skewed) {
      warnings_.push_back({ShortKey(groups_.key(g)), size, 0, Share(size, non_null), pairs, over_cap, skewed, expand});
    }
  }
  stats_.pairs_avoided = stats_.pairs_total - stats_.pairs_expanded;
  SortWarnings(&warnings_);
}

void ExactBlocking::ForEachBlock(const std::function<void(std::span<const uint32_t>)>& sink) const {
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (expand_[g]) sink(groups_.members(g));
  }
}

uint64_t ExactBlocking::ForEachPair(const PairSink& sink) const {
  uint64_t emitted = 0;
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (!expand_[g]) continue;
    const std::span<const uint32_t> m = groups_.members(g);
    for (size_t a = 0; a + 1 < m.size(); ++a) {
      for (size_t b = a + 1; b < m.size(); ++b) sink(m[a], m[b]);
    }
    emitted += PairsOf(m.size());
  }
  return emitted;
}

namespace {

// Both sides' groups, built at once on two threads (each is a pass over up to a million keys).
std::pair<KeyGroups, KeyGroups> GroupBothSides(std::span<const BlockingKey> left, std::span<const BlockingKey> right) {
  std::optional<KeyGroups> groups[2];
  RunTasks(2, [&](size_t side) { groups[side].emplace(side == 0 ? left : right); });
  return {std::move(*groups[0]), std::move(*groups[1])};
}

}  // namespace

CrossBlocking::CrossBlocking(std::span<const BlockingKey> left, std::span<const BlockingKey> right,
                             const BlockingOptions& options)
    : CrossBlocking(GroupBothSides(left, right), options) {}

CrossBlocking::CrossBlocking(std::pair<KeyGroups, KeyGroups> sides, const BlockingOptions& options)
    : left_(std::move(sides.first)), right_(std::move(sides.second)) {
  const uint64_t left_rows = left_.non_null();
  const uint64_t right_rows = right_.non_null();
  stats_.records = left_rows + right_rows;
  stats_.null_keys = left_.nulls() + right_.nulls();
  const uint64_t cap_pairs = PairsOf(options.max_block_size);
  for (size_t g = 0; g < left_.size(); ++g) {
    const size_t r = right_.Find(left_.key(g), left_.hash(g));
    if (r == KeyGroups::npos) continue;
    const uint64_t l_size = left_.members(g).size();
    const uint64_t r_size = right_.members(r).size();
    const uint64_t pairs = l_size * r_size;
    ++stats_.blocks;
    stats_.pairs_total += pairs;
    stats_.largest_block = std::max(stats_.largest_block, pairs);
    const bool over_cap = pairs > cap_pairs;
    const bool skewed = IsSkewed(l_size, left_rows, options) || IsSkewed(r_size, right_rows, options);
    const bool expand = !over_cap && !(skewed && options.skip_skewed);
    if (expand) {
      blocks_.push_back({static_cast<uint32_t>(g), static_cast<uint32_t>(r)});
      ++stats_.expanded_blocks;
      stats_.pairs_expanded += pairs;
    }
    if (over_cap || skewed) {
      warnings_.push_back({ShortKey(left_.key(g)), l_size, r_size,
                           std::max(Share(l_size, left_rows), Share(r_size, right_rows)), pairs, over_cap, skewed,
                           expand});
    }
  }
  stats_.pairs_avoided = stats_.pairs_total - stats_.pairs_expanded;
  SortWarnings(&warnings_);
}

void CrossBlocking::ForEachBlock(
    const std::function<void(std::span<const uint32_t>, std::span<const uint32_t>)>& sink) const {
  for (const Block& block : blocks_) sink(left_.members(block.left_group), right_.members(block.right_group));
}

uint64_t CrossBlocking::ForEachPair(const PairSink& sink) const {
  uint64_t emitted = 0;
  for (const Block& block : blocks_) {
    const std::span<const uint32_t> l = left_.members(block.left_group);
    const std::span<const uint32_t> r = right_.members(block.right_group);
    for (uint32_t a : l) {
      for (uint32_t b : r) sink(a, b);
    }
    emitted += static_cast<uint64_t>(l.size()) * r.size();
  }
  return emitted;
}

namespace {

// Units are below 0x110000, so three of them (21 bits each) pack exactly into a 64-bit q-gram; the boundary mark
// is the first value past Unicode.
constexpr uint32_t kBoundary = 0x110000;
constexpr int kUnitBits = 21;

void AppendUnit(uint32_t unit, std::string* out) {
  if (unit == kBoundary) {
    *out += '#';
  } else if (unit >= 0xDC00 && unit <= 0xDCFF) {  // an invalid byte (levenshtein.h), shown as itself
    *out += static_cast<char>(unit - 0xDC00);
  } else if (unit < 0x80) {
    *out += static_cast<char>(unit);
  } else if (unit < 0x800) {
    *out += static_cast<char>(0xC0 | (unit >> 6));
    *out += static_cast<char>(0x80 | (unit & 0x3F));
  } else if (unit < 0x10000) {
    *out += static_cast<char>(0xE0 | (unit >> 12));
    *out += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (unit & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (unit >> 18));
    *out += static_cast<char>(0x80 | ((unit >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (unit & 0x3F));
  }
}

std::string GramText(uint64_t gram, int q) {
  std::string out;
  for (int k = q - 1; k >= 0; --k) AppendUnit(static_cast<uint32_t>(gram >> (kUnitBits * k)) & 0x1FFFFF, &out);
  return out;
}

// The fewest shared padded q-grams two values can have when the longer has `longer` units and they are within the
// precision's distance of each other; may be <= 0 (no filtering possible).
int64_t SharedQGramBound(size_t longer, Precision precision, int q) {
  const auto d = static_cast<int64_t>(MaxEditsFor(longer, precision));
  return static_cast<int64_t>(longer) + q - 1 - d * q;
}

// What a candidate pair must share: the bound, but at least one q-gram ([our choice], blocking.h).
int64_t SharedQGramNeed(size_t longer, Precision precision, int q) {
  return std::max<int64_t>(1, SharedQGramBound(longer, precision, q));
}

// The least a record of `length` units must share with any partner it can match: partners up to its own length
// need SharedQGramNeed(length), longer ones need it at their own length, for every longer length still within
// the distance the precision admits. Memoized per length (the loop is up to 100·length long at 1%).
class LeastNeed {
 public:
  LeastNeed(Precision precision, int q) : precision_(precision), q_(q) {}

  // {need, whether some admissible partner length has no positive bound (the lossy case)}.
  std::pair<int64_t, bool> operator()(size_t length) {
    if (length >= memo_.size()) memo_.resize(length + 1, {-1, false});
    auto& entry = memo_[length];
    if (entry.first < 0) {
      entry = {SharedQGramNeed(length, precision_, q_), SharedQGramBound(length, precision_, q_) < 1};
      for (size_t longer = length + 1; longer - length <= MaxEditsFor(longer, precision_); ++longer) {
        entry.first = std::min(entry.first, SharedQGramNeed(longer, precision_, q_));
        entry.second = entry.second || SharedQGramBound(longer, precision_, q_) < 1;
      }
    }
    return entry;
  }

 private:
  Precision precision_;
  int q_;
  std::vector<std::pair<int64_t, bool>> memo_;
};

// Tokens both ascending lists hold, stopping once `need` is reached or out of reach.
int64_t SharedTokens(std::span<const uint32_t> a, std::span<const uint32_t> b, int64_t need) {
  int64_t shared = 0;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size() && shared < need) {
    const auto left = static_cast<int64_t>(std::min(a.size() - i, b.size() - j));
    if (shared + left < need) break;
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++shared, ++i, ++j;
    }
  }
  return shared;
}

}  // namespace

QGramResult QGramCandidates(std::span<const BlockingKey> values, Precision precision, const QGramOptions& options,
                            const PairSink& sink) {
  if (options.q < 2 || options.q > 3) {
    throw Error(ErrorKind::kUser, "q-gram length " + std::to_string(options.q) + " is not supported", {},
                "use q = 2 or q = 3");
  }
  CheckRecordCount(values.size());
  const int q = options.q;
  const auto n = static_cast<uint32_t>(values.size());
  QGramResult result;
  QGramStats& stats = result.stats;

  // 1. Every record's padded q-grams, numbered by occurrence so that shared tokens count a multiset intersection.
  struct Entry {
    uint64_t gram;
    uint32_t occurrence;
    uint32_t record;
  };
  std::vector<Entry> entries;
  std::vector<uint32_t> length(n, 0);
  std::vector<uint64_t> token_offsets(static_cast<size_t>(n) + 1, 0);
  {
    std::vector<uint32_t> units;
    std::vector<uint64_t> grams;
    for (uint32_t i = 0; i < n; ++i) {
      token_offsets[i + 1] = token_offsets[i];
      if (!HasKey(values[i])) {
        ++stats.null_values;
        continue;
      }
      ++stats.records;
      DecodeEditUnits(*values[i], &units);
      length[i] = static_cast<uint32_t>(units.size());
      grams.clear();
      const auto padded = static_cast<int64_t>(units.size()) + q - 1;  // the number of q-grams
      for (int64_t pos = 0; pos < padded; ++pos) {
        uint64_t gram = 0;
        for (int k = 0; k < q; ++k) {
          const int64_t at = pos + k - (q - 1);
          const uint32_t unit = at < 0 || at >= static_cast<int64_t>(units.size()) ? kBoundary : units[at];
          gram = (gram << kUnitBits) | unit;
        }
        grams.push_back(gram);
      }
      std::sort(grams.begin(), grams.end());
      for (size_t k = 0; k < grams.size(); ++k) {
        const uint32_t occurrence = k > 0 && grams[k] == grams[k - 1] ? entries.back().occurrence + 1 : 1;
        entries.push_back({grams[k], occurrence, i});
      }
      token_offsets[i + 1] += grams.size();
    }
  }

  // 2. A global order of the distinct tokens, rarest first (ties by token), and every record's tokens as ranks in
  // that order, ascending.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.gram != b.gram) return a.gram < b.gram;
    if (a.occurrence != b.occurrence) return a.occurrence < b.occurrence;
    return a.record < b.record;
  });
  struct Run {
    uint64_t start;
    uint64_t end;
  };
  std::vector<Run> runs;  // in token order
  for (uint64_t start = 0; start < entries.size();) {
    uint64_t end = start + 1;
    while (end < entries.size() && entries[end].gram == entries[start].gram &&
           entries[end].occurrence == entries[start].occurrence) {
      ++end;
    }
    runs.push_back({start, end});
    start = end;
  }
  stats.distinct_qgrams = runs.size();
  std::vector<uint32_t> by_rarity(runs.size());
  for (uint32_t r = 0; r < runs.size(); ++r) by_rarity[r] = r;
  std::stable_sort(by_rarity.begin(), by_rarity.end(), [&](uint32_t a, uint32_t b) {
    return runs[a].end - runs[a].start < runs[b].end - runs[b].start;
  });
  struct TokenText {
    uint64_t gram;
    uint32_t occurrence;
  };
  std::vector<TokenText> token_text(runs.size());  // by rank, for warnings
  std::vector<uint32_t> tokens(entries.size());    // record i: tokens[token_offsets[i] .. token_offsets[i + 1])
  {
    std::vector<uint64_t> cursor(token_offsets.begin(), token_offsets.end() - 1);
    for (uint32_t rank = 0; rank < by_rarity.size(); ++rank) {
      const Run& run = runs[by_rarity[rank]];
      token_text[rank] = {entries[run.start].gram, entries[run.start].occurrence};
      for (uint64_t e = run.start; e < run.end; ++e) tokens[cursor[entries[e].record]++] = rank;
    }
  }
  std::vector<Entry>().swap(entries);
  std::vector<Run>().swap(runs);
  // Filled rank by rank, so each record's list is already ascending.
  const auto tokens_of = [&](uint32_t i) {
    return std::span<const uint32_t>(tokens).subspan(token_offsets[i], token_offsets[i + 1] - token_offsets[i]);
  };

  // 3. Prefix filtering: if two values must share `need` tokens, they share one among the first |tokens| - need + 1
  // tokens of each in the global order. Only those prefixes are indexed, and since the order puts rare tokens
  // first, the posting lists scanned are short even when common q-grams ("com", "@ho") are everywhere.
  LeastNeed least_need(precision, q);
  std::vector<uint32_t> prefix(n, 0);
  std::vector<uint8_t> incomplete(n, 0);
  std::vector<uint64_t> posting_offsets(token_text.size() + 1, 0);
  for (uint32_t i = 0; i < n; ++i) {
    if (!HasKey(values[i])) continue;
    const auto [need, lossy] = least_need(length[i]);
    const auto count = static_cast<int64_t>(token_offsets[i + 1] - token_offsets[i]);
    prefix[i] = static_cast<uint32_t>(std::clamp<int64_t>(count - need + 1, 0, count));
    incomplete[i] = lossy;
    for (uint32_t rank : tokens_of(i).first(prefix[i])) ++posting_offsets[rank + 1];
  }
  for (size_t r = 0; r < token_text.size(); ++r) posting_offsets[r + 1] += posting_offsets[r];
  // A posting is a record and the token's position in that record's list (for the positional filter below).
  struct Posting {
    uint32_t record;
    uint32_t position;
  };
  std::vector<Posting> postings(posting_offsets.back());
  {
    std::vector<uint64_t> cursor(posting_offsets.begin(), posting_offsets.end() - 1);
    for (uint32_t i = 0; i < n; ++i) {
      const auto own = tokens_of(i);
      for (uint32_t x = 0; x < prefix[i]; ++x) postings[cursor[own[x]]++] = {i, x};
    }
  }
  // The cap: a prefix posting list above it is skipped; the records holding it may miss candidates.
  std::vector<uint8_t> skipped(token_text.size(), 0);
  for (uint32_t rank = 0; rank < token_text.size(); ++rank) {
    const uint64_t size = posting_offsets[rank + 1] - posting_offsets[rank];
    if (size <= options.max_posting) continue;
    skipped[rank] = 1;
    ++stats.skipped_qgrams;
    result.warnings.push_back({GramText(token_text[rank].gram, q), token_text[rank].occurrence, size});
    for (uint64_t p = posting_offsets[rank]; p < posting_offsets[rank + 1]; ++p) incomplete[postings[p].record] = 1;
  }
  std::stable_sort(result.warnings.begin(), result.warnings.end(),
                   [](const QGramWarning& a, const QGramWarning& b) { return a.records > b.records; });

  // 4. Candidates of record i: the earlier records sharing a prefix token. Positional filter (PPJoin): when the
  // token at position x of i is found at position y of j, every common token seen so far has been counted (lower
  // ranks come first in both lists and lie in both prefixes), and at most min(|i| - x, |j| - y) - 1 can follow;
  // a pair that cannot reach its count, or whose lengths differ too much, is dropped at once. The survivors are
  // checked by merging their whole token lists.
  constexpr uint32_t kDropped = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> seen(n, 0);  // i + 1 when j has been met while scanning for i
  std::vector<uint32_t> hits(n, 0);  // common prefix tokens of i and j so far, or kDropped
  std::vector<uint32_t> candidates;
  for (uint32_t i = 0; i < n; ++i) {
    if (!HasKey(values[i])) continue;
    stats.incomplete_records += incomplete[i];
    candidates.clear();
    const auto own = tokens_of(i);
    for (uint32_t x = 0; x < prefix[i]; ++x) {
      const uint32_t rank = own[x];
      if (skipped[rank]) continue;
      for (uint64_t p = posting_offsets[rank]; p < posting_offsets[rank + 1]; ++p) {
        const uint32_t j = postings[p].record;
        if (j >= i) break;  // ascending: later records pair with i when their turn comes
        ++stats.postings_scanned;
        if (seen[j] != i + 1) {
          seen[j] = i + 1;
          const size_t longer = std::max(length[i], length[j]);
          hits[j] = longer - std::min(length[i], length[j]) > MaxEditsFor(longer, precision) ? kDropped : 0;
          if (hits[j] == 0) candidates.push_back(j);
        }
        if (hits[j] == kDropped) continue;
        const uint64_t others = token_offsets[j + 1] - token_offsets[j];
        const uint64_t most = hits[j] + 1 + std::min<uint64_t>(own.size() - x - 1, others - postings[p].position - 1);
        const int64_t need = SharedQGramNeed(std::max(length[i], length[j]), precision, q);
        hits[j] = static_cast<int64_t>(most) < need ? kDropped : hits[j] + 1;
      }
    }
    // Sort only the survivors: most records met through a common token are dropped by the positional filter.
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(), [&](uint32_t j) { return hits[j] == kDropped; }),
                     candidates.end());
    std::sort(candidates.begin(), candidates.end());
    for (uint32_t j : candidates) {
      const int64_t need = SharedQGramNeed(std::max(length[i], length[j]), precision, q);
      if (SharedTokens(own, tokens_of(j), need) < need) continue;
      sink(j, i);
      ++stats.pairs_emitted;
    }
  }
  return result;
}

QGramOptions QGramOptionsFor(const BlockingOptions& blocking) {
  QGramOptions options;
  options.max_posting = blocking.max_block_size;
  return options;
}

std::vector<BlockWarning> QGramBlockWarnings(const QGramResult& result) {
  std::vector<BlockWarning> out;
  for (const QGramWarning& w : result.warnings) {
    BlockWarning warning;
    warning.key = w.qgram;
    warning.rows = w.records;
    warning.over_cap = true;
    warning.qgram = true;
    out.push_back(std::move(warning));
  }
  return out;
}

uint64_t SortedNeighbourhoodCandidates(std::span<const BlockingKey> values, uint32_t window, const PairSink& sink) {
  CheckRecordCount(values.size());
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < values.size(); ++i) {
    if (HasKey(values[i])) order.push_back(i);
  }
  // Stable on ascending indices: equal values stay in index order.
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return *values[a] < *values[b]; });
  uint64_t emitted = 0;
  if (window < 2) return 0;
  for (size_t p = 0; p < order.size(); ++p) {
    const size_t end = std::min(order.size(), p + window);
    for (size_t o = p + 1; o < end; ++o) {
      sink(std::min(order[p], order[o]), std::max(order[p], order[o]));
      ++emitted;
    }
  }
  return emitted;
}

}  // namespace cdmlake::unify
