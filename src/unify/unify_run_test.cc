#include "unify/unify_run.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "unify/config_loader.h"
#include "unify/explain.h"
#include "unify/unify_run_test_util.h"

// Tests of the unification semantics (spec unification.md §1.5–1.7) on small CSV sources: dedup closure, winners,
// never-match, ordered attach-to-one matching, include-all, merge policies and CustomerId stability. The
// ci-tutorial accuracy test reads ../shared/data and is skipped when it is absent.

namespace cdmlake::unify {
namespace {

namespace fs = std::filesystem;

// One source; dedup rules by email and by phone.
const char* kOneSource = R"(
sources:
  - name: Crm
    csv: crm.csv
    primary_key: Id
    include_all: true
    columns: {Name: Person.FullName, Email: Identity.Service.Email, Phone: Identity.Service.Phone, Updated: {format: '%Y-%m-%d'}}
dedup:
  Crm:
    rules:
      - name: email
        conditions: [{column: Email, normalize: [lowercase]}]
      - name: phone
        conditions: [{column: Phone, normalize: [type-phone]}]
    winner: {policy: most-recent, column: Updated}
match:
  order: [Crm]
)";

TEST_F(UnifyRunTest, DedupClosesLinksOfAllRulesTransitivelyAndPicksTheWinner) {
  // 1-2 share an email, 2-3 a phone: one group of three. 4 is alone. 5 and 6 share an email: the later one wins;
  // 7 and 8 share an email and a date: the larger key wins.
  Write("crm.csv",
        "Id,Name,Email,Phone,Updated\n"
        "1,Ann,ann@x.com,,2020-01-01\n"
        "2,Ann B,ANN@x.com,+1 425 555 0100,2021-01-01\n"
        "3,A. B.,,+1 (425) 555-0100,2019-01-01\n"
        "4,Bob,bob@x.com,,2020-01-01\n"
        "5,Cy,cy@x.com,,2022-05-01\n"
        "6,Cy,cy@x.com,,2021-05-01\n"
        "7,Di,di@x.com,,2020-01-01\n"
        "8,Di,di@x.com,,2020-01-01\n");
  UnifyResult run = Run(kOneSource);
  EXPECT_EQ(Profiles(run), (std::set<std::set<std::string>>{{"Crm:1", "Crm:2", "Crm:3"},
                                                            {"Crm:4"},
                                                            {"Crm:5", "Crm:6"},
                                                            {"Crm:7", "Crm:8"}}));
  const DedupResult& d = run.dedups[0];
  EXPECT_EQ(d.duplicates(), 4u);
  auto winner_of = [&](uint32_t record) { return std::string(run.tables[0].Key(d.winner[d.group[record]])); };
  EXPECT_EQ(winner_of(0), "2");  // most recent of 1, 2, 3
  EXPECT_EQ(winner_of(5), "5");  // 2022 beats 2021
  EXPECT_EQ(winner_of(6), "8");  // same date: the larger key
  EXPECT_EQ(d.rules.at(0).links, 3u);  // 1-2, 5-6, 7-8
  EXPECT_EQ(d.rules.at(1).links, 1u);  // 2-3
}

TEST_F(UnifyRunTest, NeverMatchPairsAreCannotLinkConstraints) {
  Write("crm.csv",
        "Id,Name,Email,Phone,Updated\n"
        "1,Ann,ann@x.com,,2020-01-01\n"
        "2,Ann,ann@x.com,+14255550100,2020-01-01\n"
        "3,Ann,,+14255550100,2020-01-01\n");
  std::string yaml = std::string(kOneSource) +
                     "never_match:\n  - {source1: Crm, key1: '1', source2: Crm, key2: '3'}\n";
  UnifyResult run = Run(yaml);
  // 1-2 and 2-3 would join 1 and 3; the never-match pair keeps them apart, so one of the links is refused.
  std::set<std::set<std::string>> profiles = Profiles(run);
  EXPECT_EQ(profiles.size(), 2u);
  for (const auto& p : profiles) EXPECT_FALSE(p.count("Crm:1") && p.count("Crm:3"));
  EXPECT_EQ(run.dedups[0].refused.size(), 1u);
}

// Two sources: Erp (primary) and Pos; Pos matches by email, then by phone and fuzzy name.
std::string TwoSources(bool pos_include_all, bool erp_include_all = true) {
  return std::string(R"(
sources:
  - name: Erp
    csv: erp.csv
    primary_key: Account
    include_all: )") + (erp_include_all ? "true" : "false") + R"(
    default_phone_region: US
    columns: {Name: Person.FullName, Email: Identity.Service.Email, Phone: Identity.Service.Phone, City: Location.City, Zip: Location.PostalCode, Modified: {format: '%Y-%m-%d'}}
  - name: Pos
    csv: pos.csv
    primary_key: LoyaltyId
    include_all: )" + (pos_include_all ? "true" : "false") + R"(
    default_phone_region: US
    columns: {Name: Person.FullName, Email: Identity.Service.Email, Phone: Identity.Service.Phone, City: Location.City, Zip: Location.PostalCode, Modified: {format: '%Y-%m-%d'}}
dedup:
  Erp:
    rules:
      - conditions: [{column: Account, normalize: [lowercase]}]
  Pos:
    rules:
      - conditions: [{column: Email, normalize: [lowercase]}]
match:
  order: [Erp, Pos]
  rules:
    Pos:
      - name: email
        conditions: [{column: Email, normalize: [lowercase]}]
      - name: phone-and-name
        conditions:
          - {column: Phone, normalize: [type-phone]}
          - {column: Name, normalize: [lowercase], precision: 80%}
merge:
  recency:
    Erp: Modified
    Pos: Modified
  fields:
    - name: Email
      policy: most-recent
      sources: [{source: Erp, column: Email}, {source: Pos, column: Email}]
  groups:
    - name: Address
      fields: [City, Zip]
      sources:
        - {source: Erp, columns: {City: City, Zip: Zip}}
        - {source: Pos, columns: {City: City, Zip: Zip}}
)";
}

TEST_F(UnifyRunTest, MatchingAttachesEachGroupToOneProfileInRuleOrder) {
  Write("erp.csv",
        "Account,Name,Email,Phone,City,Zip,Modified\n"
        "A1,Ann Lee,ann@x.com,(425) 555-0100,,,2020-01-01\n"
        "A2,Ann Lee,ann2@x.com,(425) 555-0100,Seattle,98101,2020-01-01\n"
        "A3,Bob Roe,bob@x.com,(425) 555-0199,Tacoma,,2020-01-01\n");
  Write("pos.csv",
        "LoyaltyId,Name,Email,Phone,City,Zip,Modified\n"
        "L1,Ann Lee,ANN@x.com,,Redmond,98052,2023-01-01\n"     // email -> A1
        "L2,Anne Lee,,+1 425 555 0100,,,2021-01-01\n"          // phone matches A1 and A2, name 87.5%: the smaller key
        "L3,Bob Roe,bob@x.com,,,,2019-01-01\n"                  // email -> A3
        "L4,Bob Roe,bob@x.com,,,,2018-01-01\n"                  // a duplicate of L3: collapses onto A3 too
        "L5,Zed Zo,zed@x.com,,,,2020-01-01\n");                 // matches nothing: its own profile (include_all)
  UnifyResult run = Run(TwoSources(true));
  EXPECT_EQ(Profiles(run), (std::set<std::set<std::string>>{{"Erp:A1", "Pos:L1", "Pos:L2"},
                                                            {"Erp:A2"},
                                                            {"Erp:A3", "Pos:L3", "Pos:L4"},
                                                            {"Pos:L5"}}));
  // Rule order: L1 matched by email is not tried by phone-and-name; A1 and A2 stay two profiles although L2
  // matches both (attach-to-one).
  ASSERT_EQ(run.match.rules.size(), 2u);
  EXPECT_EQ(run.match.rules[0].records_matched, 2u);  // L1, group L3+L4
  EXPECT_EQ(run.match.rules[1].records_matched, 1u);  // L2
  EXPECT_EQ(run.match.rules[1].links, 2u);            // L2 with A1 and with A2
  // Unique profiles after each rule: A1, A2, A3 and the Pos groups not matched yet (L2, L5), then without L2.
  EXPECT_EQ(run.match.rules[0].profiles_after, 5u);
  EXPECT_EQ(run.match.rules[1].profiles_after, 4u);
  EXPECT_EQ(run.match.rules[1].profiles_after, run.match.profiles.size());

  // Merge: Email most recent (L1's 2023 over A1's 2020); the address group comes whole from the first source
  // whose group fields are not all empty: Erp's A1 has neither city nor zip, so Pos (Redmond, 98052).
  int32_t ann = FindProfile(run, "Erp:A1");
  auto field = [&](const std::string& name, int32_t p) -> std::optional<std::string> {
    for (size_t f = 0; f < run.merge.fields.size(); ++f) {
      if (run.merge.fields[f].name != name) continue;
      const TextView value = run.merge.values[f][p];
      return value ? std::optional<std::string>(*value) : std::nullopt;
    }
    ADD_FAILURE() << "no field " << name;
    return std::nullopt;
  };
  EXPECT_EQ(field("Email", ann), "ANN@x.com");
  EXPECT_EQ(field("City", ann), "Redmond");
  EXPECT_EQ(field("Zip", ann), "98052");
  // Bob's address: Erp has a city but no zip; the group is not mixed with Pos's values.
  int32_t bob = FindProfile(run, "Pos:L4");
  EXPECT_EQ(field("City", bob), "Tacoma");
  EXPECT_EQ(field("Zip", bob), std::nullopt);

  // explain names the rule, the matching rows and the normalized values.
  const Explanation explanation = ExplainProfile(run, ann);
  std::string text = ExplanationText(explanation);
  EXPECT_NE(text.find("Pos:L2: joined by phone-and-name"), std::string::npos) << text;
  EXPECT_NE(text.find("\"14255550100\" vs \"14255550100\" -> match"), std::string::npos) << text;
  EXPECT_NE(text.find("\"ann lee\" vs \"anne lee\" -> match (score 0.875)"), std::string::npos) << text;

  // The JSON form tells the same: L2's group joined by phone-and-name, with its conditions and scores; the
  // Email field from L1.
  const nlohmann::ordered_json json = ExplanationJson(explanation);
  EXPECT_EQ(json["customer_id"], run.customer_ids[ann]);
  EXPECT_TRUE(json["previous_customer_id"].is_null());
  ASSERT_EQ(json["groups"].size(), 3u) << json.dump(2);
  EXPECT_EQ(json["groups"][0]["winner"], "Erp:A1");
  EXPECT_EQ(json["groups"][0]["joined"], "primary source");
  EXPECT_TRUE(json["groups"][0]["rule"].is_null());
  const nlohmann::ordered_json* l2 = nullptr;
  for (const auto& g : json["groups"]) {
    if (g["winner"] == "Pos:L2") l2 = &g;
  }
  ASSERT_NE(l2, nullptr) << json.dump(2);
  EXPECT_EQ((*l2)["joined"], "match rule");
  EXPECT_EQ((*l2)["rule"], "phone-and-name");
  EXPECT_EQ((*l2)["target"], "Erp:A1");
  bool name_compared = false;
  for (const auto& c : (*l2)["conditions"]) {
    if (c["left"] == "ann lee") {
      name_compared = true;
      EXPECT_EQ(c["right"], "anne lee");
      EXPECT_TRUE(c["match"].get<bool>());
      EXPECT_DOUBLE_EQ(c["score"].get<double>(), 0.875);
    }
  }
  EXPECT_TRUE(name_compared) << l2->dump(2);
  bool email_field = false;
  for (const auto& f : json["fields"]) {
    if (f["field"] != "Email") continue;
    email_field = true;
    EXPECT_EQ(f["value"], "ANN@x.com");
    EXPECT_EQ(f["from"], "Pos:L1");
  }
  EXPECT_TRUE(email_field) << json.dump(2);
  // Bob's Pos group holds L3 and L4, one the other's duplicate by a dedup rule.
  const nlohmann::ordered_json bob_json = ExplanationJson(ExplainProfile(run, bob));
  size_t duplicates = 0;
  for (const auto& g : bob_json["groups"]) {
    for (const auto& d : g["duplicates"]) {
      ++duplicates;
      EXPECT_EQ(d["link"], "dedup rule") << d.dump(2);
      EXPECT_TRUE(d["rule"].is_string()) << d.dump(2);
      EXPECT_FALSE(d["conditions"].empty()) << d.dump(2);
    }
  }
  EXPECT_EQ(duplicates, 1u) << bob_json.dump(2);
}

TEST_F(UnifyRunTest, AMovedResultStillExplains) {
  Write("erp.csv", "Account,Name,Email,Phone,City,Zip,Modified\nA1,Ann,ann@x.com,,,,\n");
  Write("pos.csv", "LoyaltyId,Name,Email,Phone,City,Zip,Modified\nL1,Ann,ann@x.com,,,,\n");
  std::optional<UnifyResult> moved;
  {
    UnifyResult run = Run(TwoSources(true));
    moved.emplace(std::move(run));
  }  // the object the comparison keys were computed for is gone
  std::string text = ExplanationText(ExplainProfile(*moved, FindProfile(*moved, "Erp:A1")));
  EXPECT_NE(text.find("Pos:L1: joined by email"), std::string::npos) << text;
  EXPECT_NE(text.find("\"ann@x.com\" vs \"ann@x.com\" -> match"), std::string::npos) << text;
}

TEST_F(UnifyRunTest, ExplainFindsRecordsWhateverTheCaseAndSaysWhatIsMissing) {
  Write("erp.csv", "Account,Name,Email,Phone,City,Zip,Modified\nA1,Ann,ann@x.com,,,,\n");
  Write("pos.csv", "LoyaltyId,Name,Email,Phone,City,Zip,Modified\nab-Cd,Ann,ann@x.com,,,,\n");
  UnifyResult run = Run(TwoSources(true));
  const int32_t ann = FindProfile(run, "Erp:A1");
  EXPECT_EQ(FindProfile(run, "pos:AB-CD"), ann);  // the source and the key but for case
  EXPECT_EQ(FindProfile(run, run.customer_ids[ann]), ann);
  auto message = [&](const std::string& target) {
    try {
      FindProfile(run, target);
    } catch (const Error& e) {
      return std::string(e.message()) + " / " + e.hint();
    }
    return std::string("found");
  };
  EXPECT_EQ(message("Shop:S1"), "no source is named Shop (in Shop:S1) / the sources are Erp, Pos");
  EXPECT_EQ(message("Erp:A9"), "source Erp has no record with the key A9 / the key is the value of the source's "
                               "primary key, Account");
}

TEST_F(UnifyRunTest, WithoutIncludeAllUnmatchedRecordsAreDropped) {
  Write("erp.csv", "Account,Name,Email,Phone,City,Zip,Modified\nA1,Ann,ann@x.com,,,,\nA2,Bob,bob@x.com,,,,\n");
  Write("pos.csv", "LoyaltyId,Name,Email,Phone,City,Zip,Modified\nL1,Ann,ann@x.com,,,,\nL2,Cy,cy@x.com,,,,\n");
  UnifyResult run = Run(TwoSources(false, false));
  EXPECT_EQ(Profiles(run), (std::set<std::set<std::string>>{{"Erp:A1", "Pos:L1"}}));
  EXPECT_EQ(run.match.dropped_groups, (std::vector<uint64_t>{1, 1}));
  EXPECT_THROW(FindProfile(run, "Pos:L2"), Error);
}

TEST_F(UnifyRunTest, CustomerIdsSurviveReruns) {
  const std::string erp = "Account,Name,Email,Phone,City,Zip,Modified\nA1,Ann,ann@x.com,,,,\nA2,Bob,bob@x.com,,,,\n";
  Write("erp.csv", erp);
  Write("pos.csv", "LoyaltyId,Name,Email,Phone,City,Zip,Modified\nL1,Ann,ann@x.com,,,,\nL2,Bob,bob@x.com,,,,\n");
  UnifyResult first = Run(TwoSources(true));
  auto ids = IdsByRecord(first);
  // The same data again: every id kept.
  UnifyResult same = Run(TwoSources(true), Previous(first));
  EXPECT_EQ(IdsByRecord(same), ids);
  // An edited record: L2 now carries Ann's email and moves to Ann's profile; Bob keeps his id.
  Write("pos.csv", "LoyaltyId,Name,Email,Phone,City,Zip,Modified\nL1,Ann,ann@x.com,,,,\nL2,Bob,ann@x.com,,,,\n"
                   "L3,Cy,cy@x.com,,,,\n");
  UnifyResult edited = Run(TwoSources(true), Previous(same));
  auto now = IdsByRecord(edited);
  EXPECT_EQ(now["Erp:A1"], ids["Erp:A1"]);
  EXPECT_EQ(now["Pos:L2"], ids["Erp:A1"]);
  EXPECT_EQ(now["Erp:A2"], ids["Erp:A2"]);
  EXPECT_FALSE(now["Pos:L3"].empty());
  EXPECT_NE(now["Pos:L3"], ids["Erp:A1"]);
  // A merge: A2 gets Ann's email, so the dedup rule on Account no longer separates... the two Erp records stay
  // apart (Erp dedups by account), but the profile ids are still unique.
  std::set<std::string> distinct(edited.customer_ids.begin(), edited.customer_ids.end());
  EXPECT_EQ(distinct.size(), edited.customer_ids.size());
}

TEST_F(UnifyRunTest, DuplicateAndEmptyKeysAreReportedNotLost) {
  Write("crm.csv",
        "Id,Name,Email,Phone,Updated\n"
        "1,Ann,ann@x.com,,2020-01-01\n"
        ",Nobody,no@x.com,,2020-01-01\n"
        "1,Ann again,ann2@x.com,,2020-01-01\n"
        "2,Bob,bob@x.com,,not a date\n");
  UnifyResult run = Run(kOneSource);
  const ProfileTable& t = run.tables[0];
  ASSERT_EQ(t.size(), 2u);  // the first row with key 1 wins
  EXPECT_EQ(t.Key(0), "1");
  EXPECT_EQ(t.Key(1), "2");
  EXPECT_EQ(t.duplicate_keys, 1);
  ASSERT_EQ(t.quarantined.size(), 1u);
  EXPECT_EQ(t.quarantined[0].row, 2);
  EXPECT_NE(t.quarantined[0].reason.find("primary key Id is empty"), std::string::npos);
  EXPECT_EQ(t.Value(t.ColumnIndex("Name"), 0), "Ann");
  ASSERT_EQ(t.unparsed.size(), 1u);  // "not a date" does not fit %Y-%m-%d
  EXPECT_EQ(t.unparsed[0].values, 1);
  EXPECT_EQ(t.unparsed[0].first_row, 4);  // the fourth data row (the third record kept)
  std::string warnings;
  for (const auto& w : run.warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("1 row repeats a primary key seen before and was dropped"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("Crm.Updated: 1 value does not fit the format '%Y-%m-%d' and counts as empty (data row 4)"),
            std::string::npos)
      << warnings;
  EXPECT_NE(warnings.find("1 (data rows 1 and 3)"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("quarantined"), std::string::npos) << warnings;
}

TEST_F(UnifyRunTest, CustomPairsNamingNoRecordAreReported) {
  Write("crm.csv",
        "Id,Name,Email,Phone,Updated\n"
        "1,Ann,ann@x.com,,2020-01-01\n"
        "2,Bob,bob@x.com,,2020-01-01\n");
  std::string yaml = std::string(kOneSource) +
                     "always_match:\n"
                     "  - {source1: Crm, key1: '1', source2: Crm, key2: '2'}\n"
                     "never_match:\n"
                     "  - {source1: Crm, key1: '1', source2: Crm, key2: '99'}\n"
                     "  - {source1: Crm, key1: '98', source2: Crm, key2: '2'}\n";
  UnifyResult run = Run(yaml);
  EXPECT_EQ(Profiles(run), (std::set<std::set<std::string>>{{"Crm:1", "Crm:2"}}));  // the known pair works
  std::string warnings;
  for (const auto& w : run.warnings) warnings += w + "\n";
  EXPECT_EQ(warnings.find("always_match"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("never_match: 2 pairs name a record no source holds (Crm:99 is the first)"),
            std::string::npos)
      << warnings;
  EXPECT_NE(warnings.find("unify.yaml:"), std::string::npos) << warnings;  // where the first one is written
}

TEST_F(UnifyRunTest, BlockWarningsOfMatchRulesCountEachSideUnderItsName) {
  // Pos holds one record with ann@x.com, Erp (the target) two: a cap of 1 pair puts the block of 2 pairs over it.
  Write("erp.csv",
        "Account,Name,Email,Phone,City,Zip,Modified\n"
        "A1,Ann,ann@x.com,,,,\n"
        "A2,Ann,ann@x.com,,,,\n");
  Write("pos.csv", "LoyaltyId,Name,Email,Phone,City,Zip,Modified\nL1,Ann,ann@x.com,,,,\n");
  UnifyResult run = Run(TwoSources(true) + "limits: {block_size_cap: 2}\n");
  std::string warnings;
  for (const auto& w : run.warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("Pos, rule email: a block over the size cap 'ann@x.com' held by 1 record of Pos and 2 of "
                          "Erp: its 2 pairs were not compared"),
            std::string::npos)
      << warnings;
}

TEST_F(UnifyRunTest, RulesWithoutExactConditionsFollowTheBlockSizeCap) {
  // Six names share the q-grams of "ann": under the default cap they are all candidates of each other; with a cap
  // of 4 those q-grams are skipped, reported, and find no candidates.
  std::string csv = "Id,Name\n";
  for (char c = 'a'; c <= 'f'; ++c) csv += std::string(1, c) + ",ann" + std::string(1, c) + "\n";
  Write("crm.csv", csv);
  const std::string yaml = R"(
sources:
  - name: Crm
    csv: crm.csv
    primary_key: Id
    include_all: true
    columns: {Name: Person.FullName}
dedup:
  Crm:
    rules:
      - name: fuzzy-name
        conditions: [{column: Name, precision: 70%}]
match:
  order: [Crm]
)";
  UnifyResult open = Run(yaml);
  EXPECT_EQ(open.dedups[0].rules.at(0).candidate_pairs, 15u);  // every pair of the six
  EXPECT_TRUE(open.dedups[0].rules.at(0).warnings.empty());
  UnifyResult capped = Run(yaml + "limits: {block_size_cap: 4}\n");
  EXPECT_EQ(capped.dedups[0].rules.at(0).candidate_pairs, 0u);
  std::string warnings;
  for (const auto& w : capped.warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("Crm, rule fuzzy-name: the q-gram 'an' is in 6 records, more than limits.block_size_cap"),
            std::string::npos)
      << warnings;
}

TEST_F(UnifyRunTest, AnUnreadableSourceNamesTheFile) {
  // The file is there when the configuration is loaded (which checks that it exists), gone when it is read.
  Write("crm.csv", "Id,Name,Email,Phone,Updated\n");
  Write("unify.yaml", kOneSource);
  config_ = LoadUnifyConfig((dir_ / "unify.yaml").string());
  fs::remove(dir_ / "crm.csv");
  try {
    RunUnification(config_, database_, nullptr, {}, nullptr);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("crm.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("source Crm"), std::string::npos) << e.what();
  }
}

TEST_F(UnifyRunTest, ASourceBrokenFarIntoTheFileFailsInsteadOfEndingEarly) {
  // Sources are streamed from DuckDB: a row that cannot be parsed after many good ones (past the first chunks
  // already taken) must fail the run, not end the source there.
  std::string csv = "Id,Name,Email,Phone,Updated\n";
  for (int i = 1; i <= 30000; ++i) csv += std::to_string(i) + ",N" + std::to_string(i) + ",,,2020-01-01\n";
  csv += "30001,Broken,a,b,2020-01-01,extra,columns\n";
  for (int i = 30002; i <= 30100; ++i) csv += std::to_string(i) + ",N,,,2020-01-01\n";
  Write("crm.csv", csv);
  try {
    Run(kOneSource);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData) << e.what();
    EXPECT_NE(std::string(e.what()).find("crm.csv"), std::string::npos) << e.what();
    EXPECT_EQ(e.location().line, 30002) << e.what();  // the file's line, the header being line 1
    EXPECT_NE(std::string(e.what()).find("Expected Number of Columns: 5 Found: 6"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("row: 30001,Broken"), std::string::npos) << e.what();
  }
}

// The tutorial: Loyalty.ContactId is the true link of each loyalty record to its contact (2 point to contacts
// that do not exist). The example configuration does not use it; the links must be recovered from the data.
TEST(UnifyCiTutorialTest, LoyaltyLinksAreRecovered) {
  const fs::path data = fs::path(CDMLAKE_SHARED_DATA) / "ci-tutorial";
  if (!fs::exists(data / "Customer-Loyalty.txt")) GTEST_SKIP() << "no " << data << " (../shared/data is absent)";
  // CDMLAKE_SHARED_DATA is "<repository>/../shared/data".
  std::string shared = CDMLAKE_SHARED_DATA;
  const std::string repository = shared.substr(0, shared.size() - std::string("/../shared/data").size());
  UnifyConfig config = LoadUnifyConfig(repository + "/examples/ci-tutorial/unify.yaml");
  engine::Database database(engine::Settings{1, "512MB", "", {}});
  UnifyResult run = RunUnification(config, database, nullptr, {}, nullptr);

  // Truth: LoyaltyId -> ContactId, read independently of the run.
  SourceReader reader(database, nullptr);
  LoadedTable truth = reader.Read("truth", "", (data / "Customer-Loyalty.txt").string(),
                                  {{"LoyaltyId", ""}, {"ContactId", ""}});
  const int contact = run.SourceIndex("Contact"), loyalty = run.SourceIndex("Customer-Loyalty");
  ASSERT_GE(contact, 0);
  ASSERT_GE(loyalty, 0);
  std::map<std::string, int32_t> contact_profile, loyalty_profile;
  for (uint32_t r = 0; r < run.tables[contact].size(); ++r) {
    contact_profile[std::string(run.tables[contact].Key(r))] = run.ProfileOf(contact, r);
  }
  for (uint32_t r = 0; r < run.tables[loyalty].size(); ++r) {
    loyalty_profile[std::string(run.tables[loyalty].Key(r))] = run.ProfileOf(loyalty, r);
  }
  // Recall: true links whose two records share a profile. Precision: loyalty records placed with a contact that
  // is their true one, among those placed with any contact.
  int64_t true_links = 0, recovered = 0, linked = 0, correct = 0;
  std::map<int32_t, std::set<std::string>> contacts_of_profile;
  for (const auto& [key, p] : contact_profile) contacts_of_profile[p].insert(key);
  for (size_t row = 0; row < truth.rows(); ++row) {
    const std::string loyalty_id(truth.values[0].View(row));
    const std::string contact_id(truth.values[1].View(row));
    int32_t lp = loyalty_profile.at(loyalty_id);
    if (lp >= 0 && contacts_of_profile.count(lp)) {
      ++linked;
      correct += contacts_of_profile[lp].count(contact_id) ? 1 : 0;
    }
    auto c = contact_profile.find(contact_id);
    if (c == contact_profile.end()) continue;  // the two links to missing contacts
    ++true_links;
    recovered += (lp >= 0 && lp == c->second) ? 1 : 0;
  }
  EXPECT_EQ(true_links, 5000);
  const double recall = static_cast<double>(recovered) / static_cast<double>(true_links);
  const double precision = static_cast<double>(correct) / static_cast<double>(linked);
  RecordProperty("recall", std::to_string(recall));
  RecordProperty("precision", std::to_string(precision));
  EXPECT_GE(recall, 0.995) << recovered << " of " << true_links;
  EXPECT_GE(precision, 0.995) << correct << " of " << linked;
}

}  // namespace
}  // namespace cdmlake::unify
