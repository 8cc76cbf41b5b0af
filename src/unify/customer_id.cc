#include "unify/customer_id.h"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "unify/flat_index.h"
#include "util/error.h"
#include "util/parallel.h"

namespace cdmlake::unify {
namespace {

// ---- SHA-1 ------------------------------------------------------------------------------------------------

// OpenSSL 3 fetches the algorithm on every EVP_Digest call with EVP_sha1(); a first run hashes one seed per
// entity (500 k and more), so the algorithm is fetched once and each thread reuses one context.
struct MdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

const EVP_MD* Sha1Algorithm() {
  static const std::unique_ptr<EVP_MD, MdDeleter> md(EVP_MD_fetch(nullptr, "SHA1", nullptr));
  if (!md) throw Error(ErrorKind::kInternal, "OpenSSL provides no SHA-1 (needed for name-based UUIDs)");
  return md.get();
}

// SHA-1 of a followed by b; out receives 20 bytes.
void Sha1(std::string_view a, std::string_view b, unsigned char* out) {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  unsigned int size = 0;
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), Sha1Algorithm(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 || EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &size) != 1 || size != 20) {
    throw Error(ErrorKind::kInternal, "OpenSSL failed to compute a SHA-1 digest");
  }
}

// ---- assignment helpers -------------------------------------------------------------------------------------


uint64_t HashText(std::string_view text) { return std::hash<std::string_view>{}(text); }
uint64_t HashRecord(std::string_view source, std::string_view key) {
  return HashText(key) ^ (HashText(source) * 0x9e3779b97f4a7c15ULL);
}

// The first 8 bytes of text as a big-endian number (zero-padded): comparing prefixes, then the whole texts on
// equal prefixes, orders texts as std::string does (byte-wise), with far fewer memory reads. Sorting the
// anchors and the previous ids by plain string comparison was 40 % of a rerun of 1 M records.
uint64_t Prefix(std::string_view text) {
  uint64_t prefix = 0;
  for (size_t i = 0; i < 8; ++i) {
    prefix = prefix << 8 | (i < text.size() ? static_cast<unsigned char>(text[i]) : 0u);
  }
  return prefix;
}

// The canonical entity order: by anchor (source, key), byte-wise.
std::vector<uint32_t> AnchorOrder(std::span<const EntityRecords> entities) {
  // Sources are few (configured tables): number them as met, rank the distinct ones, then sort by (source rank,
  // key prefix) with the key itself breaking ties.
  std::unordered_map<std::string_view, uint32_t> source_number;
  std::vector<std::string_view> sources;
  struct Key {
    uint32_t source;
    uint32_t entity;
    uint64_t prefix;
  };
  std::vector<Key> keys(entities.size());
  std::string_view last_source;
  uint32_t last_number = 0;
  for (uint32_t e = 0; e < entities.size(); ++e) {
    const RecordRef& anchor = entities[e].records[0];
    if (e == 0 || anchor.source != last_source) {
      last_source = anchor.source;
      auto [it, added] = source_number.try_emplace(last_source, static_cast<uint32_t>(sources.size()));
      if (added) sources.push_back(last_source);
      last_number = it->second;
    }
    keys[e] = Key{last_number, e, Prefix(anchor.key)};
  }
  std::vector<uint32_t> by_name(sources.size());
  std::iota(by_name.begin(), by_name.end(), 0u);
  std::sort(by_name.begin(), by_name.end(), [&](uint32_t a, uint32_t b) { return sources[a] < sources[b]; });
  std::vector<uint32_t> rank(sources.size());
  for (uint32_t r = 0; r < by_name.size(); ++r) rank[by_name[r]] = r;
  for (Key& k : keys) k.source = rank[k.source];
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.source != b.source) return a.source < b.source;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return entities[a.entity].records[0].key < entities[b.entity].records[0].key;
  });
  std::vector<uint32_t> order(entities.size());
  for (size_t k = 0; k < keys.size(); ++k) order[k] = keys[k].entity;
  return order;
}

void AppendEscaped(std::string* out, std::string_view part) {
  for (char c : part) {
    if (c == '\\' || c == '|') out->push_back('\\');
    out->push_back(c);
  }
}

// Rule 1: the seed of an entity whose stable-id values are all present, or nullopt.
std::optional<std::string> StableSeed(const EntityRecords& entity) {
  if (entity.stable_values.empty()) return std::nullopt;
  std::string seed;
  for (const std::optional<StableIdValue>& v : entity.stable_values) {
    if (!v) return std::nullopt;
    if (!seed.empty()) seed.push_back('|');
    AppendEscaped(&seed, v->table);
    seed.push_back('|');
    AppendEscaped(&seed, v->value);
  }
  return seed;
}

// An entity's overlap with one previous id (ids as ranks in byte order).
struct Overlap {
  uint32_t entity = 0;
  uint32_t old_id = 0;
  uint32_t count = 0;
};

// The previous run's AlternateKey rows indexed: the distinct ids in byte order (an id is known by its rank
// there, so comparing ranks compares ids), and per (source, key) the rank of its id.
class PreviousIndex {
 public:
  explicit PreviousIndex(std::span<const PreviousKey> rows)
      : rows_(rows), by_id_(rows.size()), by_record_(rows.size()), record_rank_(rows.size(), FlatIndex::kNone) {
    // Intern first (hash), then sort only the distinct ids: a profile has several keys.
    std::vector<uint32_t> first_row_of(rows.size());  // per row: the first row with its id
    std::vector<uint32_t> distinct;
    for (uint32_t i = 0; i < rows.size(); ++i) {
      const std::string_view id = rows[i].customer_id;
      if (id.empty()) continue;  // a damaged row: no id to inherit
      first_row_of[i] = by_id_.FindOrInsert(HashText(id), i, [&](uint32_t p) { return rows[p].customer_id == id; });
      if (first_row_of[i] == i) distinct.push_back(i);
    }
    std::vector<std::pair<uint64_t, uint32_t>> by_prefix;
    by_prefix.reserve(distinct.size());
    for (uint32_t row : distinct) by_prefix.emplace_back(Prefix(rows[row].customer_id), row);
    std::sort(by_prefix.begin(), by_prefix.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return rows[a.second].customer_id < rows[b.second].customer_id;
    });
    for (size_t r = 0; r < distinct.size(); ++r) distinct[r] = by_prefix[r].second;
    id_rank_.assign(rows.size(), 0);
    ids_.reserve(distinct.size());
    for (uint32_t r = 0; r < distinct.size(); ++r) {
      id_rank_[distinct[r]] = r;
      ids_.push_back(rows[distinct[r]].customer_id);
    }
    for (uint32_t i = 0; i < rows.size(); ++i) {
      if (rows[i].customer_id.empty()) {
        ++conflicting_rows_;
        continue;
      }
      const uint32_t rank = id_rank_[first_row_of[i]];
      const std::string_view source = rows[i].source;
      const std::string_view key = rows[i].key;
      const uint32_t at = by_record_.FindOrInsert(HashRecord(source, key), i, [&](uint32_t p) {
        return rows[p].key == key && rows[p].source == source;
      });
      if (at == i) {
        record_rank_[i] = rank;
      } else if (record_rank_[at] != rank) {
        // A damaged AlternateKey table; the smallest id wins so that the row order does not matter.
        ++conflicting_rows_;
        record_rank_[at] = std::min(record_rank_[at], rank);
      }
    }
  }

  bool empty() const { return rows_.empty(); }
  const std::vector<std::string_view>& ids() const { return ids_; }
  int64_t conflicting_rows() const { return conflicting_rows_; }

  // The rank of the record's previous id, or FlatIndex::kNone.
  uint32_t RankOfRecord(std::string_view source, std::string_view key) const {
    const uint32_t at = by_record_.Find(HashRecord(source, key), [&](uint32_t p) {
      return rows_[p].key == key && rows_[p].source == source;
    });
    return at == FlatIndex::kNone ? at : record_rank_[at];
  }

  // The rank of a previous id, or FlatIndex::kNone.
  uint32_t RankOfId(std::string_view id) const {
    if (rows_.empty()) return FlatIndex::kNone;
    const uint32_t at = by_id_.Find(HashText(id), [&](uint32_t p) { return rows_[p].customer_id == id; });
    return at == FlatIndex::kNone ? at : id_rank_[at];
  }

 private:
  std::span<const PreviousKey> rows_;
  FlatIndex by_id_;      // positions: the first row of each id
  FlatIndex by_record_;  // positions: the first row of each (source, key)
  std::vector<uint32_t> record_rank_;  // at a record's first row: the rank of its id
  std::vector<uint32_t> id_rank_;      // at an id's first row: its rank
  std::vector<std::string_view> ids_;
  int64_t conflicting_rows_ = 0;
};

// Gives ids in rule 5's way: the Uuid5 of the seed, or of seed#2, seed#3, ... while the id is taken. The index
// refers to the ids given: position e < n is entity e's id in `assignments`, position n + k the k-th new id of
// `fresh` (SetFresh), which stays there until the caller moves it to its entity.
class IdGiver {
 public:
  explicit IdGiver(std::vector<CustomerIdAssignment>* assignments)
      : assignments_(*assignments), n_(assignments->size()), taken_(assignments->size()) {}

  void SetFresh(std::vector<std::string>* fresh) { fresh_ = fresh; }

  bool Taken(std::string_view id, uint64_t hash) const {
    return taken_.Find(hash, [&](uint32_t p) { return IdAt(p) == id; }) != FlatIndex::kNone;
  }

  // Marks entity e's id (an inherited one, unique by construction) as given.
  void Take(uint32_t e) { Insert(e, HashText(assignments_[e].customer_id)); }

  // Gives entity e the first free id for seed.
  void Give(uint32_t e, const UuidBytes& ns, std::string_view seed) {
    std::string& id = assignments_[e].customer_id;
    id = Uuid5(ns, seed);
    uint64_t hash = HashText(id);
    for (int n = 2; Taken(id, hash); ++n) {
      ++collisions_;
      id = Uuid5(ns, std::string(seed) + "#" + std::to_string(n));
      hash = HashText(id);
    }
    Insert(e, hash);
  }

  // Gives the k-th new id: (*fresh)[k] is Uuid5(ns, seed) computed beforehand, `hash` its HashText. The seed is
  // made only when that id is taken (making it reads the entity's anchor, far in memory).
  template <typename MakeSeed>
  void GiveFresh(size_t k, uint64_t hash, const UuidBytes& ns, const MakeSeed& make_seed) {
    std::string& id = (*fresh_)[k];
    if (Taken(id, hash)) {
      const std::string seed = make_seed();
      for (int n = 2; Taken(id, hash); ++n) {
        ++collisions_;
        id = Uuid5(ns, seed + "#" + std::to_string(n));
        hash = HashText(id);
      }
    }
    Insert(static_cast<uint32_t>(n_ + k), hash);
  }

  // Fetches the index slot of a hash into the cache (for a GiveFresh some ids later).
  void Prefetch(uint64_t hash) const { taken_.Prefetch(hash); }

  int64_t collisions() const { return collisions_; }

 private:
  std::string_view IdAt(uint32_t p) const { return p < n_ ? assignments_[p].customer_id : (*fresh_)[p - n_]; }
  void Insert(uint32_t p, uint64_t hash) {
    const std::string_view id = IdAt(p);
    taken_.FindOrInsert(hash, p, [&](uint32_t q) { return IdAt(q) == id; });
  }

  std::vector<CustomerIdAssignment>& assignments_;
  size_t n_;
  std::vector<std::string>* fresh_ = nullptr;
  FlatIndex taken_;  // capacity n: every entity gets one id, an entity's or a fresh one
  int64_t collisions_ = 0;
};

}  // namespace

namespace {

void FormatUuidTo(const UuidBytes& uuid, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *out++ = '-';
    *out++ = kHex[uuid[i] >> 4];
    *out++ = kHex[uuid[i] & 0xf];
  }
}

UuidBytes Uuid5Bytes(const UuidBytes& ns, std::string_view name) {
  unsigned char digest[20];
  Sha1(std::string_view(reinterpret_cast<const char*>(ns.data()), ns.size()), name, digest);
  UuidBytes uuid;
  std::copy(digest, digest + 16, uuid.begin());
  uuid[6] = static_cast<uint8_t>((uuid[6] & 0x0f) | 0x50);  // version 5
  uuid[8] = static_cast<uint8_t>((uuid[8] & 0x3f) | 0x80);  // variant 10xx (RFC 4122)
  return uuid;
}

}  // namespace

std::string FormatUuid(const UuidBytes& uuid) {
  std::string text(kUuidTextSize, '\0');
  FormatUuidTo(uuid, text.data());
  return text;
}

std::string Uuid5(const UuidBytes& ns, std::string_view name) { return FormatUuid(Uuid5Bytes(ns, name)); }

void Uuid5To(const UuidBytes& ns, std::string_view name, char* out) { FormatUuidTo(Uuid5Bytes(ns, name), out); }

void AlternateKeyIdentifier(std::string_view data_source, std::string_view table, std::string_view key,
                            std::string* out) {
  out->clear();
  out->reserve(data_source.size() + table.size() + key.size() + 2);
  out->append(data_source).append("|").append(table).append("|").append(key);
}

void AlternateKeyIdTo(std::string_view identifier, char* out) { Uuid5To(kAlternateKeyIdNamespace, identifier, out); }

std::string AlternateKeyId(std::string_view data_source, std::string_view table, std::string_view key) {
  std::string identifier;
  AlternateKeyIdentifier(data_source, table, key, &identifier);
  std::string id(kUuidTextSize, '\0');
  AlternateKeyIdTo(identifier, id.data());
  return id;
}

CustomerIdResult AssignCustomerIds(std::span<const EntityRecords> entities, std::span<const PreviousKey> previous) {
  const size_t n = entities.size();
  if (n >= FlatIndex::kNone || previous.size() >= FlatIndex::kNone) {
    throw Error(ErrorKind::kInternal, "more than 4 billion entities or previous keys");
  }
  const size_t fields = n == 0 ? 0 : entities[0].stable_values.size();
  for (size_t i = 0; i < n; ++i) {
    if (entities[i].records.empty()) {
      throw Error(ErrorKind::kInternal, "entity " + std::to_string(i) + " has no records");
    }
    if (entities[i].stable_values.size() != fields) {
      throw Error(ErrorKind::kInternal, "entity " + std::to_string(i) + " has " +
                                            std::to_string(entities[i].stable_values.size()) +
                                            " stable-id values, entity 0 has " + std::to_string(fields));
    }
  }

  // The canonical entity order (by anchor) breaks every tie, so the input order never matters.
  const std::vector<uint32_t> order = AnchorOrder(entities);
  std::vector<uint32_t> anchor_rank(n);
  // Comparing neighbours reads entities in anchor order, i.e. all over memory: on all threads.
  std::atomic<size_t> same_anchor{n};
  ParallelFor(n, 16384, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      anchor_rank[order[k]] = static_cast<uint32_t>(k);
      if (k > 0 && entities[order[k]].records[0] == entities[order[k - 1]].records[0]) {
        size_t seen = same_anchor.load();
        while (k < seen && !same_anchor.compare_exchange_weak(seen, k)) {
        }
      }
    }
  });
  if (same_anchor < n) {
    const RecordRef& anchor = entities[order[same_anchor]].records[0];
    throw Error(ErrorKind::kInternal, "two entities have the same anchor record " + std::string(anchor.source) +
                                          "|" + std::string(anchor.key) + " (a record belongs to one entity only)");
  }

  const PreviousIndex prev(previous);
  const uint32_t no_id = FlatIndex::kNone;

  // Overlaps of every entity with the previous ids, grouped by entity, each group by count desc, id asc.
  std::vector<Overlap> overlaps;
  std::vector<size_t> overlap_begin(n + 1, 0);
  std::vector<uint32_t> ranks;
  for (uint32_t e = 0; e < n; ++e) {
    overlap_begin[e] = overlaps.size();
    if (prev.empty()) continue;
    ranks.clear();
    for (const RecordRef& r : entities[e].records) {
      const uint32_t rank = prev.RankOfRecord(r.source, r.key);
      if (rank != no_id) ranks.push_back(rank);
    }
    std::sort(ranks.begin(), ranks.end());
    const size_t first = overlaps.size();
    for (size_t i = 0; i < ranks.size();) {
      size_t j = i;
      while (j < ranks.size() && ranks[j] == ranks[i]) ++j;
      overlaps.push_back({e, ranks[i], static_cast<uint32_t>(j - i)});
      i = j;
    }
    std::sort(overlaps.begin() + static_cast<ptrdiff_t>(first), overlaps.end(), [](const Overlap& a, const Overlap& b) {
      return a.count != b.count ? a.count > b.count : a.old_id < b.old_id;
    });
  }
  overlap_begin[n] = overlaps.size();
  auto overlaps_of = [&](uint32_t e) {
    return std::span<const Overlap>(overlaps).subspan(overlap_begin[e], overlap_begin[e + 1] - overlap_begin[e]);
  };

  CustomerIdResult result;
  result.assignments.resize(n);
  IdGiver giver(&result.assignments);
  std::vector<uint32_t> inherited(n, no_id);
  std::vector<bool> old_reserved(prev.ids().size(), false);

  // Rule 1: stable ids first, reserved against inheritance.
  std::vector<bool> stable(n, false);
  for (uint32_t e : fields == 0 ? std::span<const uint32_t>() : std::span<const uint32_t>(order)) {
    const std::optional<std::string> seed = StableSeed(entities[e]);
    if (!seed) continue;
    stable[e] = true;
    CustomerIdAssignment& a = result.assignments[e];
    a.origin = CustomerIdOrigin::kStable;
    giver.Give(e, kStableIdNamespace, *seed);
    const uint32_t rank = prev.RankOfId(a.customer_id);
    if (rank != no_id) old_reserved[rank] = true;
    ++result.stats.stable;
  }

  // Rule 2: greedy inheritance over all overlaps of the other entities.
  std::vector<Overlap> contest;
  contest.reserve(overlaps.size());
  for (const Overlap& o : overlaps) {
    if (!stable[o.entity] && !old_reserved[o.old_id]) contest.push_back(o);
  }
  std::sort(contest.begin(), contest.end(), [&](const Overlap& a, const Overlap& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.old_id != b.old_id) return a.old_id < b.old_id;
    return anchor_rank[a.entity] < anchor_rank[b.entity];
  });
  std::vector<bool> old_taken(prev.ids().size(), false);
  for (const Overlap& o : contest) {
    if (inherited[o.entity] != no_id || old_taken[o.old_id]) continue;
    inherited[o.entity] = o.old_id;
    old_taken[o.old_id] = true;
    CustomerIdAssignment& a = result.assignments[o.entity];
    a.origin = CustomerIdOrigin::kInherited;
    a.customer_id = std::string(prev.ids()[o.old_id]);
    giver.Take(o.entity);
    ++result.stats.inherited;
  }

  // Rules 3 and 4: new ids in anchor order, after every stable and inherited id is known (rule 5). A first run
  // hashes one seed per entity: the hashes are independent, so they are computed on all threads first, and only
  // giving them (which must see the ids given before) runs in order.
  auto seed_of = [&](uint32_t e, std::string* seed) {
    const RecordRef& anchor = entities[e].records[0];
    seed->assign(anchor.source).append("|").append(anchor.key);
  };
  std::vector<uint32_t> fresh;
  for (uint32_t e : order) {
    if (!stable[e] && inherited[e] == no_id) fresh.push_back(e);
  }
  std::vector<std::string> first_ids(fresh.size());
  std::vector<uint64_t> first_hashes(fresh.size());
  ParallelFor(fresh.size(), 8192, [&](size_t begin, size_t end) {
    std::string seed;
    for (size_t k = begin; k < end; ++k) {
      seed_of(fresh[k], &seed);
      first_ids[k] = Uuid5(kCustomerIdNamespace, seed);
      first_hashes[k] = HashText(first_ids[k]);
    }
  });
  // In order, touching only the index (its slots fetched ahead) unless an id is taken.
  giver.SetFresh(&first_ids);
  constexpr size_t kAhead = 16;
  for (size_t k = 0; k < fresh.size(); ++k) {
    if (k + kAhead < fresh.size()) giver.Prefetch(first_hashes[k + kAhead]);
    giver.GiveFresh(k, first_hashes[k], kCustomerIdNamespace, [&] {
      std::string text;
      seed_of(fresh[k], &text);
      return text;
    });
  }
  std::atomic<int64_t> fresh_count{0}, split_count{0};
  ParallelFor(fresh.size(), 8192, [&](size_t begin, size_t end) {
    int64_t new_ids = 0, splits = 0;
    for (size_t k = begin; k < end; ++k) {
      const uint32_t e = fresh[k];
      CustomerIdAssignment& a = result.assignments[e];
      a.customer_id = std::move(first_ids[k]);
      const std::span<const Overlap> mine = overlaps_of(e);
      if (mine.empty()) {
        a.origin = CustomerIdOrigin::kNew;
        ++new_ids;
      } else {
        a.origin = CustomerIdOrigin::kSplit;
        a.previous_customer_ids.emplace_back(prev.ids()[mine[0].old_id]);
        ++splits;
      }
    }
    fresh_count += new_ids;
    split_count += splits;
  });
  result.stats.fresh += fresh_count.load();
  result.stats.split += split_count.load();

  // Rule 6: the ids absorbed by stable and inherited entities.
  for (uint32_t e = 0; e < n; ++e) {
    CustomerIdAssignment& a = result.assignments[e];
    if (a.origin != CustomerIdOrigin::kStable && a.origin != CustomerIdOrigin::kInherited) continue;
    for (const Overlap& o : overlaps_of(e)) {
      // An id some entity still carries was not absorbed: only some of its records moved here.
      if (!old_taken[o.old_id] && !old_reserved[o.old_id]) a.previous_customer_ids.emplace_back(prev.ids()[o.old_id]);
    }
    if (!a.previous_customer_ids.empty()) ++result.stats.merged;
  }
  std::vector<bool> overlapped(prev.ids().size(), false);
  for (const Overlap& o : overlaps) overlapped[o.old_id] = true;
  result.stats.vanished = std::count(overlapped.begin(), overlapped.end(), false);
  result.stats.collisions = giver.collisions();
  result.stats.conflicting_previous_rows = prev.conflicting_rows();
  return result;
}

}  // namespace cdmlake::unify
