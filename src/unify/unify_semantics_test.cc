// Semantics of spec unification.md §1.5–§1.7 that span more than one step, each on a small run: custom
// always/never-match pairs across sources, recency compared as numbers, merge groups that rely on merge.recency,
// per-column dedup winners, exceptions, the implicit dedup rule, least-recent winners and stable ids.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

#include "unify/dedup.h"
#include "unify/unify_run_test_util.h"

namespace cdmlake::unify {
namespace {

using ProfileSet = std::set<std::set<std::string>>;

// The value of a unified field of the profile holding `record`, or nullopt.
std::optional<std::string> Field(const UnifyResult& run, const std::string& field, const std::string& record) {
  const size_t colon = record.find(':');
  const int source = run.SourceIndex(record.substr(0, colon));
  if (source < 0) return std::nullopt;
  for (uint32_t r = 0; r < run.tables[source].size(); ++r) {
    if (run.tables[source].Key(r) != record.substr(colon + 1)) continue;
    const int32_t p = run.ProfileOf(source, r);
    for (size_t f = 0; p >= 0 && f < run.merge.fields.size(); ++f) {
      if (run.merge.fields[f].name != field) continue;
      const TextView value = run.merge.values[f][p];
      return value ? std::optional<std::string>(*value) : std::nullopt;
    }
  }
  return std::nullopt;
}

// One source C (c.csv: Id, Email and the column `recency_column`, a YAML mapping entry) deduplicated on Email with
// the winner policy `winner`.
std::string OneSourceDedup(const std::string& recency_column, const std::string& winner) {
  return "sources:\n"
         "  - {name: C, csv: c.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, " +
         recency_column + "}}\n"
         "dedup:\n"
         "  C: {rules: [{conditions: [{column: Email}]}], winner: " + winner + "}\n"
         "match:\n"
         "  order: [C]\n";
}

// The keys of the dedup winners of the first source.
std::set<std::string> Winners(const UnifyResult& run) {
  std::set<std::string> keys;
  for (uint32_t w : run.dedups[0].winner) keys.insert(std::string(run.tables[0].Key(w)));
  return keys;
}

TEST(CompareRecencyTest, NumbersAsNumbersElseText) {
  EXPECT_LT(CompareRecency("9.0", "10.0"), 0);
  EXPECT_LT(CompareRecency("9", "10"), 0);
  EXPECT_LT(CompareRecency("-2", "1"), 0);
  EXPECT_LT(CompareRecency("-2.5", "-2.25"), 0);
  EXPECT_EQ(CompareRecency("10", "10.0"), 0);
  EXPECT_LT(CompareRecency("2023-06-21", "2023-10-01"), 0);
  EXPECT_LT(CompareRecency("2023-06-21 02:12:07", "2023-06-21 10:00:00"), 0);
  EXPECT_GT(CompareRecency("abc", "10"), 0) << "not both numbers: as text";
  EXPECT_LT(CompareRecency("inf", "nan"), 0) << "not finite numbers: as text";
}

TEST_F(UnifyRunTest, AlwaysMatchIntoTwoSourcesPrefersTheHigherRankedOne) {
  // L1 is paired with C2 and with E1; each is its own profile. Spec §1.6: a tie goes to the higher-ranked table.
  Write("c.csv", "Id,Email\nC1,c1@x.com\nC2,c2@x.com\nC3,c3@x.com\nC4,c4@x.com\n");
  Write("e.csv", "Id,Email\nE1,e1@x.com\n");
  Write("l.csv", "Id,Email\nL1,l@x.com\n");
  const std::string sources = R"(
sources:
  - {name: C, csv: c.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email}}
  - {name: E, csv: e.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email}}
  - {name: L, csv: l.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email}}
match:
  order: [C, E, L]
  rules:
    E: [{conditions: [{column: Email}]}]
    L: [{conditions: [{column: Email}]}]
)";
  for (const char* pairs : {"  - {source1: L, key1: L1, source2: C, key2: C2}\n"
                            "  - {source1: L, key1: L1, source2: E, key2: E1}\n",
                            "  - {source1: E, key1: E1, source2: L, key2: L1}\n"
                            "  - {source1: C, key1: C2, source2: L, key2: L1}\n"}) {
    UnifyResult run = Run(sources + "always_match:\n" + pairs);
    EXPECT_EQ(Profiles(run), (ProfileSet{{"C:C1"}, {"C:C2", "L:L1"}, {"C:C3"}, {"C:C4"}, {"E:E1"}})) << pairs;
  }
}

TEST_F(UnifyRunTest, NeverMatchKeepsTheTwoRecordsOutOfOneProfileThroughDuplicates) {
  // C1 and C2 are duplicates (same email). L1 matches C2 by phone, but L1 may never be with C1: it stays alone.
  // L3 and L2 are duplicates (same phone); L2 matches C3 by email, but L3 may never be with C3.
  Write("c.csv", "Id,Email,Phone\nC1,a@x.com,\nC2,a@x.com,4255550100\nC3,b@x.com,\n");
  Write("l.csv", "Id,Email,Phone\nL1,,4255550100\nL2,b@x.com,4255550199\nL3,,4255550199\nL4,a@x.com,\n");
  UnifyResult run = Run(R"(
sources:
  - {name: C, csv: c.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, Phone: Identity.Service.Phone}}
  - {name: L, csv: l.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, Phone: Identity.Service.Phone}}
dedup:
  C: {rules: [{conditions: [{column: Email}]}]}
  L: {rules: [{conditions: [{column: Phone}]}]}
match:
  order: [C, L]
  rules:
    L:
      - {name: email, conditions: [{column: Email}]}
      - {name: phone, conditions: [{column: Phone}]}
never_match:
  - {source1: C, key1: C1, source2: L, key2: L1}
  - {source1: L, key1: L3, source2: C, key2: C3}
)");
  EXPECT_EQ(Profiles(run), (ProfileSet{{"C:C1", "C:C2", "L:L4"}, {"C:C3"}, {"L:L1"}, {"L:L2", "L:L3"}}));
}

TEST_F(UnifyRunTest, NeverMatchBetweenTwoRecordsOfOneSourceKeepsThemInTwoProfiles) {
  // L1 and L2 both match C1 by email (they are not duplicates: L dedups by phone); they may never be together,
  // so the first (by the tie rule, the smaller key) joins C1 and the other stays alone.
  Write("c.csv", "Id,Email,Phone\nC1,a@x.com,\n");
  Write("l.csv", "Id,Email,Phone\nL1,a@x.com,1\nL2,a@x.com,2\n");
  UnifyResult run = Run(R"(
sources:
  - {name: C, csv: c.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, Phone: Identity.Service.Phone}}
  - {name: L, csv: l.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, Phone: Identity.Service.Phone}}
dedup:
  L: {rules: [{conditions: [{column: Phone}]}]}
match:
  order: [C, L]
  rules:
    L: [{name: email, conditions: [{column: Email}]}]
never_match:
  - {source1: L, key1: L2, source2: L, key2: L1}
)");
  EXPECT_EQ(Profiles(run), (ProfileSet{{"C:C1", "L:L1"}, {"L:L2"}}));
}

TEST_F(UnifyRunTest, RecencyColumnsThatHoldNumbersCompareAsNumbers) {
  // Ver 10 is more recent than Ver 9 (as text, "9" > "10"), and -1 than -2.
  Write("c.csv", "Id,Email,Ver,Name\nC1,a@x.com,9,Old\nC2,a@x.com,10,New\nC3,b@x.com,-1,Minus\nC4,b@x.com,-2,Less\n");
  UnifyResult run = Run(OneSourceDedup("Ver: {format: number}", "{policy: most-recent, column: Ver}"));
  EXPECT_EQ(Winners(run), (std::set<std::string>{"C2", "C3"}));
}

TEST_F(UnifyRunTest, MergeFieldsAndGroupsUseNumericAndDefaultRecency) {
  // C1 (Ver 10) and L1 (Ver 9) match by email. Name is most-recent by Ver: C1's. The Address group is
  // most-recent too, with its recency from merge.recency (no recency of its own): C1's street and city, together.
  Write("c.csv", "Id,Email,Ver,Name,Street,City\nC1,a@x.com,10,New Name,9 New Ave,Newtown\n");
  Write("l.csv", "Id,Email,Ver,Name,Street,City\nL1,a@x.com,9,Old Name,1 Old St,Oldtown\n");
  UnifyResult run = Run(R"(
sources:
  - {name: C, csv: c.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, Ver: {format: number}, Name: Person.FullName, Street: Location.Address, City: Location.City}}
  - {name: L, csv: l.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, Ver: {format: number}, Name: Person.FullName, Street: Location.Address, City: Location.City}}
match:
  order: [C, L]
  rules:
    L: [{conditions: [{column: Email}]}]
merge:
  recency: {C: Ver, L: Ver}
  fields:
    - {name: FullName, policy: most-recent, sources: [{source: L, column: Name}, {source: C, column: Name}]}
  groups:
    - name: Address
      policy: most-recent
      fields: [Street, City]
      sources:
        - {source: L, columns: {Street: Street, City: City}}
        - {source: C, columns: {Street: Street, City: City}}
)");
  ASSERT_EQ(Profiles(run), (ProfileSet{{"C:C1", "L:L1"}}));
  EXPECT_EQ(Field(run, "FullName", "C:C1"), "New Name");
  EXPECT_EQ(Field(run, "Street", "C:C1"), "9 New Ave");
  EXPECT_EQ(Field(run, "City", "C:C1"), "Newtown");
}

TEST_F(UnifyRunTest, ColumnWinnersTakeEachColumnFromTheRowTheirPolicyPicks) {
  // One group of three (same email). The row winner is the most recent (C3, no city, oldest phone number); City
  // comes from the row with a value (C2, most filled among those with a city), Phone from the least recent row
  // that has one (C1).
  Write("c.csv",
        "Id,Email,Updated,City,Phone,Name\n"
        "C1,a@x.com,2019-01-01,,+1 425 555 0101,Ann\n"
        "C2,a@x.com,2020-01-01,Rome,+1 425 555 0102,Ann\n"
        "C3,a@x.com,2021-01-01,,+1 425 555 0103,\n");
  UnifyResult run = Run(R"(
sources:
  - name: C
    csv: c.csv
    primary_key: Id
    include_all: true
    columns: {Email: Identity.Service.Email, Updated: {format: '%Y-%m-%d'}, City: Location.City, Phone: Identity.Service.Phone, Name: Person.FullName}
dedup:
  C:
    rules: [{conditions: [{column: Email}]}]
    winner: {policy: most-recent, column: Updated}
    columns:
      City: most-filled
      Phone: {policy: least-recent, column: Updated}
match:
  order: [C]
)");
  const DedupResult& d = run.dedups[0];
  ASSERT_EQ(d.groups.size(), 1u);
  EXPECT_EQ(run.tables[0].Key(d.winner[0]), "C3");
  const int city = run.tables[0].ColumnIndex("City");
  const int phone = run.tables[0].ColumnIndex("Phone");
  const int name = run.tables[0].ColumnIndex("Name");
  EXPECT_EQ(run.tables[0].Key(d.ValueRow(city, 0)), "C2");
  EXPECT_EQ(run.tables[0].Key(d.ValueRow(phone, 0)), "C1");
  EXPECT_EQ(run.tables[0].Key(d.ValueRow(name, 0)), "C3") << "a column without its own policy: the winner's";
  // The unified fields follow the column winners.
  EXPECT_EQ(Field(run, "City", "C:C1"), "Rome");
  EXPECT_EQ(Field(run, "Phone", "C:C1"), "+1 425 555 0101");
}

TEST_F(UnifyRunTest, ExceptionsVetoPairsInDedupAndInMatch) {
  // Same email, different first names: a shared family mailbox, not one person (the exception vetoes the link),
  // in dedup (C1, C2) and in match (L1 against C1 and C2).
  Write("c.csv", "Id,Email,First\nC1,fam@x.com,Ann\nC2,fam@x.com,Bob\nC3,solo@x.com,Cy\nC4,solo@x.com,Cy\n");
  Write("l.csv", "Id,Email,First\nL1,fam@x.com,Dee\nL2,solo@x.com,Cy\n");
  const std::string exception =
      "exceptions: [{name: family, conditions: [{column: First, normalize: [lowercase], when: different}]}]";
  UnifyResult run = Run(R"(
sources:
  - {name: C, csv: c.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, First: Person.FirstName}}
  - {name: L, csv: l.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, First: Person.FirstName}}
dedup:
  C: {rules: [{conditions: [{column: Email}], )" + exception + R"(}]}
match:
  order: [C, L]
  rules:
    L: [{name: email, conditions: [{column: Email}], )" + exception + R"(}]
)");
  EXPECT_EQ(Profiles(run), (ProfileSet{{"C:C1"}, {"C:C2"}, {"C:C3", "C:C4", "L:L2"}, {"L:L1"}}));
}

TEST_F(UnifyRunTest, WithoutDedupRulesASourceIsDeduplicatedOnItsMatchRuleColumns) {
  // No dedup rules for L: its records are duplicates when they agree on every column its match rules use
  // (Email, normalized as the rule does): L1 and L2 (case aside), not L3 (another email).
  Write("c.csv", "Id,Email\nC1,a@x.com\n");
  Write("l.csv", "Id,Email,Name\nL1,A@x.com,Ann\nL2,a@x.com,Anne\nL3,b@x.com,Ann\n");
  UnifyResult run = Run(R"(
sources:
  - {name: C, csv: c.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email}}
  - {name: L, csv: l.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, Name: Person.FullName}}
match:
  order: [C, L]
  rules:
    L: [{name: email, conditions: [{column: Email, normalize: [lowercase]}]}]
)");
  EXPECT_EQ(Profiles(run), (ProfileSet{{"C:C1", "L:L1", "L:L2"}, {"L:L3"}}));
  const DedupResult& d = run.dedups[1];
  EXPECT_EQ(d.groups.size(), 2u);
  ASSERT_EQ(d.rule_names.size(), 1u);
  EXPECT_EQ(d.rule_names[0], "Match-rule columns");
}

TEST_F(UnifyRunTest, LeastRecentWinnerIsTheOldestRowAndTiesGoToTheLargerKey) {
  Write("c.csv",
        "Id,Email,Created\n"
        "C1,a@x.com,2021-01-01\nC2,a@x.com,2019-06-01\nC3,a@x.com,\n"    // C2 is the oldest; C3 has no date
        "C4,b@x.com,2020-01-01\nC5,b@x.com,2020-01-01\n");                 // a tie: the larger key, C5
  UnifyResult run = Run(OneSourceDedup("Created: {format: '%Y-%m-%d'}", "{policy: least-recent, column: Created}"));
  EXPECT_EQ(Winners(run), (std::set<std::string>{"C2", "C5"}));
}

TEST_F(UnifyRunTest, StableIdsComeFromTheFieldsAndSurviveAChangeOfTheAnchor) {
  // The CustomerId is derived from the national id (the unified field Nid) when a profile has one: it stays when
  // the record that anchored the profile is gone, where the default id (from the anchor's key) would change.
  // Without a national id, the default.
  const std::string config = R"(
sources:
  - {name: C, csv: c.csv, primary_key: Id, include_all: true, columns: {Email: Identity.Service.Email, Nid: {type: NationalId}}}
dedup:
  C: {rules: [{conditions: [{column: Email}]}]}
match:
  order: [C]
stable_id: [Nid]
)";
  Write("c.csv", "Id,Email,Nid\nC1,a@x.com,N-1\nC2,a@x.com,N-1\nC3,b@x.com,\n");
  UnifyResult first = Run(config);
  const auto first_ids = IdsByRecord(first);
  ASSERT_EQ(first_ids.size(), 3u);
  EXPECT_EQ(first_ids.at("C:C1"), first_ids.at("C:C2"));
  EXPECT_NE(first_ids.at("C:C1"), first_ids.at("C:C3"));
  EXPECT_EQ(first.id_stats.stable, 1);

  // C1 is gone and nothing is inherited (no previous run given): the stable id is the same all the same.
  Write("c.csv", "Id,Email,Nid\nC2,a@x.com,N-1\nC3,b@x.com,\n");
  UnifyResult second = Run(config);
  const auto second_ids = IdsByRecord(second);
  EXPECT_EQ(second_ids.at("C:C2"), first_ids.at("C:C2"));
  EXPECT_EQ(second_ids.at("C:C3"), first_ids.at("C:C3")) << "the default id of an unchanged anchor";
}

}  // namespace
}  // namespace cdmlake::unify
