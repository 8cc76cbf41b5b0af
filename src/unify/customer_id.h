// Stable CustomerId and AlternateKeyId (spec unification.md §1.1, §1.7): name-based UUIDs (RFC 4122 version 5)
// and the assignment of CustomerIds to the entities of a run so that they survive reruns, with
// PreviousCustomerId recording merges and splits.
//
// Assignment rules ([our choice] of §1.7, made exact here). Inputs: the entities of this run, each with its
// member records (source, key) in match order (records[0] is the anchor: the first non-null winner PK in match
// order) and its stable-id values; and the previous run's AlternateKey mapping (source, key) -> CustomerId.
//
//  1. Stable ids. When stable-id fields are configured and an entity has a value for EVERY field, its id is
//     Uuid5(kStableIdNamespace, seed) where seed joins, field by field, "table|value" with '|' (each part
//     escaped: '\' -> "\\", '|' -> "\|", so different values never give one seed). An entity lacking any of
//     the values falls back to the system id (rules 2-4): a partial key is not the key the user declared
//     immutable, and taking the present parts only would change the id the day a missing value is filled in.
//     Stable ids are decided first and reserved: no other entity can inherit or be given one of them.
//  2. Inheritance. Every other entity counts, per previous id, the records it shares with the previous run
//     (its overlap). All (entity, previous id, overlap) triples are taken greedily in the order overlap
//     descending, previous id ascending (byte order), anchor (source, key) ascending; a triple assigns the
//     previous id to the entity when neither is assigned yet and the id is not reserved by rule 1. So an
//     entity takes the previous id of its largest overlap (tie: the smallest id) unless a larger overlap of
//     another entity took it first; then it takes its best id still free. Each previous id goes to at most
//     one entity.
//  3. Split-off parts: an entity that overlapped previous ids but inherited none gets a new id (rule 4) and
//     previous_customer_ids = [its best previous id: largest overlap, tie smallest id], the id it split from.
//  4. New ids: Uuid5(kCustomerIdNamespace, "source|key" of the anchor), the hash of the first winner PK.
//  5. Uniqueness. Ids are given in this order: stable ids (entities by anchor ascending), inherited ids, new
//     ids (entities by anchor ascending). An id already given to another entity is replaced by the Uuid5 of
//     the seed with "#2" appended, then "#3", ... (same namespace) until it is free. This happens for real:
//     when a profile splits and the larger part keeps the id, the smaller part holding the old anchor would
//     hash to that same id; and two entities may share stable-id values.
//  6. previous_customer_ids of an entity with a stable or inherited id: the previous ids it overlaps that no
//     entity of this run carries any more (absorbed by a merge), ordered by overlap descending, then id
//     ascending. An id still carried by another entity is not listed: records that moved from one profile to
//     another are not a merge. (A previous id whose records went into several profiles, none keeping it, is
//     listed by each of them.) Empty for entities without overlap.
// The result depends only on the contents of the inputs, never on the order of entities or mapping entries.
// Time O(R log R) over R records plus one SHA-1 per entity without an inherited id; no pairwise comparison.
//
// Thread-safety: pure functions; safe to call from several threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cdmlake::unify {

using UuidBytes = std::array<uint8_t, 16>;

// The 16 bytes of a UUID written as 8-4-4-4-12 hexadecimal digits (either case); usable in constant
// expressions, where a malformed text is a compile error.
constexpr UuidBytes UuidLiteral(std::string_view text) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("not a hexadecimal digit in a UUID");
  };
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') {
    throw std::invalid_argument("a UUID is written as 8-4-4-4-12 hexadecimal digits");
  }
  UuidBytes bytes{};
  size_t i = 0;
  for (uint8_t& b : bytes) {
    if (text[i] == '-') ++i;
    b = static_cast<uint8_t>(digit(text[i]) * 16 + digit(text[i + 1]));
    i += 2;
  }
  return bytes;
}

// RFC 4122 appendix C name spaces, for names that are domain names and URLs.
inline constexpr UuidBytes kDnsNamespace = UuidLiteral("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
inline constexpr UuidBytes kUrlNamespace = UuidLiteral("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

// cdmlake's own name spaces. Fixed forever: changing one changes every id of every lake. Each is itself
// Uuid5(kUrlNamespace, "urn:cdmlake:unify:<Name>") (checked by a test), so their origin is documented.
inline constexpr UuidBytes kCustomerIdNamespace = UuidLiteral("5763322c-a3c7-5ecc-a7e7-500e1c47ac24");
inline constexpr UuidBytes kAlternateKeyIdNamespace = UuidLiteral("5b7823cd-e76a-51bb-bd3f-28ad19334d2c");
inline constexpr UuidBytes kStableIdNamespace = UuidLiteral("0576c57a-60ab-5205-8292-ea2f9bd255d5");

// Lower-case 8-4-4-4-12 text of a UUID.
std::string FormatUuid(const UuidBytes& uuid);

// The RFC 4122 version-5 UUID of `name` in name space `ns`: SHA-1 of the name space's 16 bytes followed by the
// name's bytes, truncated to 16 bytes, with version 5 and the RFC 4122 variant set; as lower-case text.
std::string Uuid5(const UuidBytes& ns, std::string_view name);
// The same, written as its 36 characters to out[0..35] (no terminator): a million ids without an allocation each.
inline constexpr size_t kUuidTextSize = 36;
void Uuid5To(const UuidBytes& ns, std::string_view name, char* out);

// AlternateKeyId of an AlternateKey row: Uuid5(kAlternateKeyIdNamespace, "DataSource|Table|PK").
std::string AlternateKeyId(std::string_view data_source, std::string_view table, std::string_view key);
// The parts of it, for a writer of a million rows: the row's Identifier "DataSource|Table|PK" (into *out,
// replacing its text), and the AlternateKeyId of an Identifier written as its 36 characters to out[0..35].
void AlternateKeyIdentifier(std::string_view data_source, std::string_view table, std::string_view key,
                            std::string* out);
void AlternateKeyIdTo(std::string_view identifier, char* out);

// A record of a source: the source (table) name and its primary key value, viewed where the caller keeps them (a
// run's profile tables): a million records are then no allocation at all.
struct RecordRef {
  std::string_view source;
  std::string_view key;

  friend bool operator==(const RecordRef&, const RecordRef&) = default;
  friend auto operator<=>(const RecordRef&, const RecordRef&) = default;
};

// The value of one stable-id field: the first non-null one scanning the entity's tables in match order.
struct StableIdValue {
  std::string table;
  std::string value;
};

struct EntityRecords {
  std::vector<RecordRef> records;  // match order; records[0] is the anchor; a record is in one entity only
  // One entry per configured stable-id field (empty when none is configured); nullopt: no table has a value.
  std::vector<std::optional<StableIdValue>> stable_values;
};

// One row of the previous run's AlternateKey table.
struct PreviousKey {
  std::string source;
  std::string key;
  std::string customer_id;
};

enum class CustomerIdOrigin {
  kStable,     // rule 1
  kInherited,  // rule 2
  kSplit,      // rule 3: a new id for a part split from a previous profile
  kNew,        // rule 4 without any overlap
};

struct CustomerIdAssignment {
  std::string customer_id;
  std::vector<std::string> previous_customer_ids;  // joined by ';' in Customer.PreviousCustomerId
  CustomerIdOrigin origin = CustomerIdOrigin::kNew;
};

struct CustomerIdStats {
  int64_t stable = 0;
  int64_t inherited = 0;
  int64_t split = 0;
  int64_t fresh = 0;
  int64_t merged = 0;       // stable or inherited entities that absorbed previous ids (rule 6)
  int64_t collisions = 0;   // ids derived again because the first choice was taken (rule 5)
  // Previous ids that no entity overlaps (profiles whose records are all gone).
  int64_t vanished = 0;
  // Damaged previous rows: a (source, key) already seen with another id (the smallest id is used), or an empty
  // id (the row is ignored).
  int64_t conflicting_previous_rows = 0;
};

struct CustomerIdResult {
  std::vector<CustomerIdAssignment> assignments;  // parallel to the entities given
  CustomerIdStats stats;
};

// Assigns the CustomerIds of this run (rules above). `previous` is empty on a first run. Throws
// Error(kInternal) on a caller bug: an entity without records, two entities with the same anchor, or
// stable_values of different sizes. (A non-anchor record listed in two entities is not detected: it would
// only count twice in overlaps.)
CustomerIdResult AssignCustomerIds(std::span<const EntityRecords> entities, std::span<const PreviousKey> previous);

}  // namespace cdmlake::unify
