#include "unify/config_loader.h"

#include <gtest/gtest.h>

#include "unify/config_test_util.h"
#include "util/error.h"

namespace cdmlake::unify {
namespace {

// Configurations are parsed from strings as /cfg/unify.yaml over an in-memory file system holding the files
// they name.
class ConfigLoaderTest : public ::testing::Test {
 protected:
  ConfigLoaderTest() {
    fs_.AddFile("/data/contact.csv", "ContactId,EMail\nC1,a@b.c\n");
    fs_.AddFile("/data/loyalty.csv", "LoyaltyId,EMail\nL1,a@b.c\n");
    fs_.AddFile("/cfg/unify.yaml", "");
  }

  UnifyConfig Parse(const std::string& text) {
    problems_.clear();
    return ParseUnifyConfig(text, "/cfg/unify.yaml", &fs_, &problems_);
  }

  const ConfigProblem& Problem(const std::string& text) { return testing::OnlyProblem(problems_, text); }

  std::string Dump() const { return testing::DumpProblems(problems_); }

  MemoryFileSystem fs_;
  std::vector<ConfigProblem> problems_;
};

// The smallest complete configuration; tests append to it or replace parts.
const char* const kMinimal = R"(sources:
  - name: Contact
    csv: /data/contact.csv
    primary_key: ContactId
    columns:
      EMail: Identity.Service.Email
  - name: Loyalty
    csv: /data/loyalty.csv
    primary_key: LoyaltyId
    columns:
      EMail: Identity.Service.Email
match:
  order: [Contact, Loyalty]
  rules:
    Loyalty:
      - conditions:
          - {column: EMail, normalize: [whitespace, lowercase]}
)";

TEST_F(ConfigLoaderTest, MinimalConfiguration) {
  UnifyConfig config = Parse(kMinimal);
  ASSERT_TRUE(problems_.empty()) << Dump();
  ASSERT_EQ(config.sources.size(), 2u);
  EXPECT_EQ(config.base_dir, "/cfg");
  EXPECT_EQ(config.sources[0].name, "Contact");
  EXPECT_EQ(config.sources[0].csv_path, "/data/contact.csv");
  EXPECT_EQ(config.sources[0].primary_key.name, "ContactId");
  EXPECT_EQ(config.sources[0].primary_key.mark.line, 4);
  EXPECT_EQ(config.sources[0].primary_key.mark.column, 18);
  EXPECT_FALSE(config.sources[0].include_all);
  ASSERT_EQ(config.sources[0].columns.size(), 1u);
  EXPECT_EQ(config.sources[0].columns[0].semantic_type, "Identity.Service.Email");
  ASSERT_EQ(config.match.order.size(), 2u);
  ASSERT_EQ(config.match.rules.size(), 1u);
  const Rule& rule = config.match.rules[0].rules.at(0);
  EXPECT_TRUE(rule.target.empty());
  const Condition& c = rule.conditions.at(0);
  EXPECT_EQ(c.left.name, "EMail");
  EXPECT_EQ(c.right.name, "EMail");
  // Applied in the fixed order, whatever the order written.
  EXPECT_EQ(c.normalize, (std::vector<Normalization>{Normalization::kLowerCase, Normalization::kWhitespace}));
  EXPECT_TRUE(c.precision.exact());
  EXPECT_EQ(config.output.folder, "Unified");
  EXPECT_EQ(config.limits.block_size_cap, 1000);
  EXPECT_TRUE(config.merge.auto_combine);
}

TEST_F(ConfigLoaderTest, EveryKey) {
  fs_.AddFile("/cfg/lists/nicknames.csv", "name,nickname_1\nrobert,bob\n");
  fs_.AddFile("/cfg/lists/never.csv", "Table1,Table1Key,Table2,Table2Key\r\nContact,C1,Loyalty,\"L,2\"\r\n");
  fs_.AddFile("/cfg/lists/aliases.csv", "value,alias\nMSFT,Microsoft\n");
  fs_.AddFile("/cfg/lists/bypass.csv", "value\n555-1212\n\n");
  fs_.AddFile("/data/orders.csv", "OrderId,ContactId,OrderedOn,Total\n");
  UnifyConfig config = Parse(R"(version: 1
base_dir: lists
sources:
  - name: Contact
    csv: /data/contact.csv
    primary_key: ContactId
    include_all: true
    default_phone_region: GB
    columns:
      EMail: Identity.Service.Email
      Born: {type: Person.BirthDate, format: '%m/%d/%Y'}
      Points: {format: number}
      Tier: Custom.Tier
      Note:
  - name: Loyalty
    table: loyalty_members
    primary_key: LoyaltyId
dedup:
  Contact:
    rules:
      - name: email
        conditions: [{column: EMail, precision: 90%, aliases: companies, bypass: [phones]}]
        exceptions:
          - name: twins
            conditions: [{column: Note, when: different, precision: low}]
    winner: {policy: least-recent, column: Born}
    columns:
      EMail: {policy: most-recent, column: Born}
      Note: most-filled
match:
  order: [Contact, Loyalty]
  rules:
    Loyalty:
      - name: r1
        target: Contact
        conditions:
          - {left: EMail, right: Mail, precision: high}
always_match:
  - {source1: Contact, key1: C1, source2: Loyalty, key2: 7}
never_match:
  - file: never.csv
aliases:
  companies: [[Bob, Robert], {file: aliases.csv}]
bypass:
  phones: ['000', {file: bypass.csv}]
merge:
  recency: {Contact: Born}
  fields:
    - name: Mail
      policy: most-recent
      sources:
        - {source: Contact, column: EMail}
        - {source: Loyalty, column: Mail, recency: Joined}
  groups:
    - name: Address
      policy: least-recent
      fields: [Street, City]
      sources:
        - {source: Contact, columns: {Street: Street, City: Town}, recency: Born}
  auto_combine: false
  exclude: [{source: Contact, column: Tier}]
stable_id: [Mail]
activities:
  - name: Order
    csv: /data/orders.csv
    key: OrderId
    link: {source: Contact, column: ContactId}
    timestamp: {column: OrderedOn, format: '%Y-%m-%d'}
    type: SalesOrder
    title: OrderId
    description: OrderId
    amount: Total
    url: ~
output: {folder: Out/Unified}
limits: {block_size_cap: 50, skew_share: 0.25, skew_min_rows: 10, skip_skewed: false}
resources: {nicknames: nicknames.csv}
)");
  ASSERT_TRUE(problems_.empty()) << Dump();
  EXPECT_EQ(config.base_dir, "/cfg/lists");
  const Source& contact = config.sources[0];
  EXPECT_TRUE(contact.include_all);
  EXPECT_EQ(contact.default_phone_region, "GB");
  ASSERT_EQ(contact.columns.size(), 5u);
  EXPECT_EQ(contact.columns[1].format, "%m/%d/%Y");
  EXPECT_EQ(contact.columns[2].format, "number");
  EXPECT_EQ(contact.columns[3].semantic_type, "Custom.Tier");
  EXPECT_EQ(contact.columns[4].semantic_type, "");
  EXPECT_EQ(config.sources[1].table, "loyalty_members");

  const Dedup& dedup = config.dedup.at(0);
  EXPECT_EQ(dedup.source.name, "Contact");
  const Condition& dc = dedup.rules.at(0).conditions.at(0);
  EXPECT_EQ(dc.precision.percent, 90);
  EXPECT_TRUE(dc.fuzzy());
  ASSERT_EQ(dc.aliases.size(), 1u);
  EXPECT_EQ(dc.aliases[0].name, "companies");
  EXPECT_EQ(dc.bypass.at(0).name, "phones");
  const Condition& ec = dedup.rules[0].exceptions.at(0).conditions.at(0);
  EXPECT_EQ(ec.when, ConditionWhen::kDifferent);
  EXPECT_EQ(ec.precision.percent, 30);
  EXPECT_EQ(dedup.winner.policy, WinnerPolicy::kLeastRecent);
  EXPECT_EQ(dedup.winner.recency.name, "Born");
  ASSERT_EQ(dedup.column_winners.size(), 2u);
  EXPECT_EQ(dedup.column_winners[0].winner.policy, WinnerPolicy::kMostRecent);
  EXPECT_EQ(dedup.column_winners[1].winner.policy, WinnerPolicy::kMostFilled);

  const Rule& rule = config.match.rules.at(0).rules.at(0);
  EXPECT_EQ(rule.target.name, "Contact");
  EXPECT_EQ(rule.conditions.at(0).left.name, "EMail");
  EXPECT_EQ(rule.conditions.at(0).right.name, "Mail");
  EXPECT_EQ(rule.conditions.at(0).precision.percent, 80);

  ASSERT_EQ(config.always_match.size(), 1u);
  EXPECT_EQ(config.always_match[0].key2, "7");
  ASSERT_EQ(config.never_match.size(), 1u);
  EXPECT_EQ(config.never_match[0].key2, "L,2");
  EXPECT_EQ(config.never_match[0].mark.file, "/cfg/lists/never.csv");
  EXPECT_EQ(config.never_match[0].mark.line, 2);
  ASSERT_EQ(config.aliases.at(0).pairs.size(), 2u);
  EXPECT_EQ(config.aliases[0].pairs[1], (std::pair<std::string, std::string>{"MSFT", "Microsoft"}));
  EXPECT_EQ(config.bypass.at(0).values, (std::vector<std::string>{"000", "555-1212"}));

  EXPECT_EQ(config.merge.recency.at(0).column.name, "Born");
  const MergeField& field = config.merge.fields.at(0);
  EXPECT_EQ(field.policy, MergePolicy::kMostRecent);
  EXPECT_EQ(field.sources.at(1).recency.name, "Joined");
  const MergeGroup& group = config.merge.groups.at(0);
  EXPECT_EQ(group.policy, MergePolicy::kLeastRecent);
  EXPECT_EQ(group.fields, (std::vector<std::string>{"Street", "City"}));
  EXPECT_EQ(group.sources.at(0).columns.at(1).second.name, "Town");
  EXPECT_FALSE(config.merge.auto_combine);
  EXPECT_EQ(config.merge.exclude.at(0).column.name, "Tier");
  EXPECT_EQ(config.stable_id.at(0).name, "Mail");

  const Activity& a = config.activities.at(0);
  EXPECT_EQ(a.link_source.name, "Contact");
  EXPECT_EQ(a.link_column.name, "ContactId");
  EXPECT_EQ(a.timestamp.name, "OrderedOn");
  EXPECT_EQ(a.timestamp_format, "%Y-%m-%d");
  EXPECT_EQ(a.amount.name, "Total");
  EXPECT_TRUE(a.url.empty());
  EXPECT_EQ(config.output.folder, "Out/Unified");
  EXPECT_EQ(config.limits.block_size_cap, 50);
  EXPECT_DOUBLE_EQ(config.limits.skew_share, 0.25);
  EXPECT_EQ(config.limits.skew_min_rows, 10);
  EXPECT_FALSE(config.limits.skip_skewed);
  EXPECT_EQ(config.resources.nicknames, "/cfg/lists/nicknames.csv");
}

TEST_F(ConfigLoaderTest, UnknownKeysAreErrorsWithSuggestions) {
  Parse(std::string(kMinimal) + "limit:\n  block_size_cap: 5\n");
  const ConfigProblem& top = Problem("unknown key 'limit'");
  EXPECT_EQ(top.mark.line, 18);
  EXPECT_EQ(top.mark.column, 1);
  EXPECT_EQ(top.mark.path, "limit");
  EXPECT_EQ(top.hint, "did you mean 'limits'?");

  Parse(R"(sources:
  - name: Contact
    csv: /data/contact.csv
    primary_key: ContactId
    primary_kye: EMail
match: {order: [Contact]}
)");
  const ConfigProblem& nested = Problem("unknown key 'primary_kye'");
  EXPECT_EQ(nested.mark.line, 5);
  EXPECT_EQ(nested.mark.column, 5);
  EXPECT_EQ(nested.mark.path, "sources[0].primary_kye");
  EXPECT_EQ(nested.hint, "did you mean 'primary_key'?");
  EXPECT_EQ(nested.ToString(),
            "/cfg/unify.yaml:5:5: sources[0].primary_kye: unknown key 'primary_kye'\n    hint: did you mean "
            "'primary_key'?");
}

TEST_F(ConfigLoaderTest, ConditionTypos) {
  Parse(R"(sources:
  - {name: Contact, csv: /data/contact.csv, primary_key: ContactId}
  - {name: Loyalty, csv: /data/loyalty.csv, primary_key: LoyaltyId}
match:
  order: [Contact, Loyalty]
  rules:
    Loyalty:
      - conditions:
          - {column: EMail, normalize: [lowercse], precison: high}
          - {column: EMail, precision: 80}
          - {column: EMail, left: EMail, right: EMail}
          - {left: EMail}
          - {column: EMail, when: different}
)");
  EXPECT_EQ(Problem("unknown normalization 'lowercse'").hint, "did you mean 'lowercase'?");
  EXPECT_EQ(Problem("unknown normalization").mark.line, 9);
  const ConfigProblem& precison = Problem("unknown key 'precison'");
  EXPECT_EQ(precison.mark.path, "match.rules.Loyalty[0].conditions[0].precison");
  EXPECT_EQ(precison.hint, "did you mean 'precision'?");
  const ConfigProblem& precision = Problem("unknown precision '80'");
  EXPECT_EQ(precision.mark.line, 10);
  EXPECT_EQ(precision.mark.column, 40);
  EXPECT_EQ(Problem("not both").mark.line, 11);
  EXPECT_EQ(Problem("'right' is required").mark.path, "match.rules.Loyalty[0].conditions[3].right");
  // `when` belongs to exceptions only.
  EXPECT_EQ(Problem("unknown key 'when'").mark.line, 13);
}

TEST_F(ConfigLoaderTest, AnUnknownPhoneRegionIsAConfigurationErrorWithItsLine) {
  Parse(R"(sources:
  - name: Contact
    csv: /data/contact.csv
    primary_key: ContactId
    default_phone_region: XX
match:
  order: [Contact]
)");
  EXPECT_EQ(Problem("the region 'XX' is not a country whose phone numbers are known").mark.line, 5);
}

TEST_F(ConfigLoaderTest, TextThatIsNotUtf8IsRefusedWithItsPlace) {
  Parse("sources:\n  - name: Con\xfftact\n");
  EXPECT_EQ(Problem("the configuration is not UTF-8 text").mark.line, 2);
  EXPECT_EQ(Problem("the configuration is not UTF-8 text").mark.column, 14);
}

TEST_F(ConfigLoaderTest, WrongTypes) {
  Parse(R"(sources:
  - name: Contact
    csv: /data/contact.csv
    primary_key: [ContactId]
    include_all: maybe
    default_phone_region: usa
    columns: [EMail]
match:
  order: Contact
limits: {block_size_cap: many, skew_share: 2}
)");
  EXPECT_EQ(Problem("expected a single value, found a list").mark.line, 4);
  EXPECT_EQ(Problem("expected true or false, found 'maybe'").mark.column, 18);
  EXPECT_EQ(Problem("the region 'usa' is not a country code").mark.line, 6);
  EXPECT_EQ(Problem("expected a map from the column to its settings").mark.path, "sources[0].columns");
  EXPECT_EQ(Problem("expected a list, found 'Contact'").mark.line, 9);
  EXPECT_EQ(Problem("expected a whole number, found 'many'").mark.path, "limits.block_size_cap");
  EXPECT_EQ(Problem("the share must be above 0").mark.line, 10);
}

TEST_F(ConfigLoaderTest, RequiredKeysAndSourceLocation) {
  Parse(R"(sources:
  - name: Contact
    columns: {EMail: Identity.Service.Email}
  - name: Loyalty
    csv: /data/missing.csv
    table: loyalty
    primary_key: LoyaltyId
  - name: 2nd source
    csv: /data/missing.csv
    primary_key: Id
)");
  EXPECT_EQ(Problem("the key 'primary_key' is required").mark.path, "sources[0].primary_key");
  EXPECT_EQ(Problem("the key 'table' or 'csv' is required").mark.line, 2);
  EXPECT_EQ(Problem("give either 'table' or 'csv', not both").mark.line, 4);
  const ConfigProblem& missing = Problem("does not exist");
  EXPECT_EQ(missing.mark.line, 9);
  EXPECT_EQ(missing.message, "the CSV file '/data/missing.csv' does not exist");
  EXPECT_EQ(Problem("is not usable in output table names").mark.line, 8);
  EXPECT_EQ(Problem("the key 'match' is required").mark.line, 1);
}

TEST_F(ConfigLoaderTest, RepeatedKeysAndNames) {
  Parse(std::string(kMinimal) + R"(output: {folder: A}
output: {folder: B}
bypass:
  x: [a]
  x: [b]
)");
  EXPECT_EQ(Problem("the key 'output' is given twice").mark.line, 19);
  EXPECT_EQ(Problem("the bypass list 'x' is given twice").mark.line, 22);
}

TEST_F(ConfigLoaderTest, SemanticTypesAndFormats) {
  Parse(R"(sources:
  - name: Contact
    csv: /data/contact.csv
    primary_key: ContactId
    columns:
      First: Person.Firstname
      Born: {type: Person.BirthDate, format: 'MM/DD/YYYY'}
      Tier: Loyalty.Tier
match: {order: [Contact]}
)");
  const ConfigProblem& type = Problem("unknown semantic type 'Person.Firstname'");
  EXPECT_EQ(type.mark.line, 6);
  EXPECT_EQ(type.mark.column, 14);
  EXPECT_NE(type.hint.find("did you mean 'Person.FirstName'?"), std::string::npos);
  EXPECT_EQ(Problem("the format 'MM/DD/YYYY' is not a date pattern").mark.path, "sources[0].columns.Born.format");
}

TEST_F(ConfigLoaderTest, WinnerPolicies) {
  Parse(std::string(kMinimal) + R"(dedup:
  Contact:
    winner: most-recent
    columns:
      EMail: {policy: newest, column: x}
  Loyalty:
    winner: {policy: most-filled, column: EMail}
)");
  EXPECT_EQ(Problem("most-recent needs the column that dates the rows").mark.line, 20);
  EXPECT_EQ(Problem("unknown winner policy 'newest'").mark.path, "dedup.Contact.columns.EMail.policy");
  EXPECT_EQ(Problem("most-filled takes no column").mark.line, 24);
}

TEST_F(ConfigLoaderTest, ListFiles) {
  fs_.AddFile("/cfg/always.csv", "Table1,Key\nContact,C1\n");
  fs_.AddFile("/cfg/never.csv", "Table1,Table1Key,Table2,Table2Key\nContact,C1,Loyalty\n");
  fs_.AddFile("/cfg/aliases.csv", "a,b\n\"unclosed,x\n");
  Parse(std::string(kMinimal) + R"(always_match: [{file: always.csv}]
never_match: [{file: never.csv}, {file: gone.csv}]
aliases:
  names: [{file: aliases.csv}, [only-one]]
)");
  const ConfigProblem& header = Problem("the header has no column 'Table1Key'");
  EXPECT_EQ(header.mark.file, "/cfg/always.csv");
  EXPECT_EQ(header.mark.line, 1);
  const ConfigProblem& row = Problem("the row does not give all of");
  EXPECT_EQ(row.mark.ToString(), "/cfg/never.csv:2");
  EXPECT_EQ(Problem("the pair file '/cfg/gone.csv' does not exist").mark.line, 19);
  EXPECT_EQ(Problem("malformed CSV: a quoted field is not closed").mark.file, "/cfg/aliases.csv");
  EXPECT_EQ(Problem("expected a pair [value, alias]").mark.path, "aliases.names[1]");
}

TEST_F(ConfigLoaderTest, AListFileThatIsNotUtf8IsRefusedWithItsPlace) {
  fs_.AddFile("/cfg/bypass.csv", "value\n555-0100\ntest@x\xff.com\n");
  Parse(std::string(kMinimal) + "bypass:\n  dummies: [{file: bypass.csv}]\n");
  const ConfigProblem& problem = Problem("the file is not UTF-8 text");
  EXPECT_EQ(problem.mark.ToString(), "/cfg/bypass.csv:3:7");
}

TEST_F(ConfigLoaderTest, MergeSection) {
  Parse(std::string(kMinimal) + R"(merge:
  fields:
    - name: Mail
      policy: newest
  groups:
    - name: Address
      fields: [Street, City, Street]
      sources:
        - {source: Contact, columns: {Street: Street, Town: City}}
)");
  EXPECT_EQ(Problem("unknown merge policy 'newest'").mark.line, 21);
  EXPECT_EQ(Problem("the key 'sources' is required").mark.path, "merge.fields[0].sources");
  EXPECT_EQ(Problem("the field 'Street' is listed twice").mark.line, 24);
  const ConfigProblem& field = Problem("'Town' is not a field of the group");
  EXPECT_EQ(field.mark.line, 26);
  EXPECT_EQ(field.hint, "the fields are: Street, City");
}

TEST_F(ConfigLoaderTest, ActivitiesOutputAndResources) {
  Parse(std::string(kMinimal) + R"(activities:
  - name: Orders
    table: orders
    key: OrderId
    link: {source: Contact}
    timestamp: {column: OrderedOn, format: '%Y-%q'}
output: {folder: ../outside}
resources: {nicknames: nick.csv}
)");
  EXPECT_EQ(Problem("the key 'column' is required").mark.path, "activities[0].link.column");
  EXPECT_EQ(Problem("the format '%Y-%q' is not a date pattern").mark.line, 23);
  EXPECT_EQ(Problem("the key 'type' is required").mark.line, 19);
  EXPECT_EQ(Problem("is not inside the lake").mark.line, 24);
  EXPECT_EQ(Problem("the nickname file '/cfg/nick.csv' does not exist").mark.path, "resources.nicknames");
}

TEST_F(ConfigLoaderTest, SyntaxErrorHasItsPosition) {
  Parse("sources:\n  - name: [Contact\nmatch: {}\n");
  ASSERT_EQ(problems_.size(), 1u) << Dump();
  EXPECT_NE(problems_[0].message.find("YAML syntax error"), std::string::npos);
  EXPECT_EQ(problems_[0].mark.line, 3);
  Parse("sources:\n  - columns:\n      Born: {format: %m/%d/%Y}\n");
  ASSERT_EQ(problems_.size(), 1u) << Dump();
  EXPECT_EQ(problems_[0].mark.ToString(), "/cfg/unify.yaml:3:22");
  EXPECT_EQ(problems_[0].hint, "a value starting with % must be quoted, as in format: '%m/%d/%Y'");
  Parse("");
  EXPECT_EQ(Problem("the configuration is empty").mark.line, 1);
  Parse("- a\n- b\n");
  EXPECT_EQ(Problem("expected a map of keys").mark.line, 1);
}

TEST_F(ConfigLoaderTest, LoadReportsEveryProblemInOneError) {
  fs_.AddFile("/cfg/bad.yaml", std::string(kMinimal) + "limits: {block_size_cap: 1}\nresourses: {}\n");
  try {
    LoadUnifyConfig("/cfg/bad.yaml", &fs_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_EQ(e.location().file, "/cfg/bad.yaml");
    EXPECT_EQ(e.location().line, 18);
    std::string what = e.what();
    EXPECT_NE(what.find("2 errors in the unification configuration"), std::string::npos) << what;
    EXPECT_NE(what.find("/cfg/bad.yaml:18:26: limits.block_size_cap: the cap must be from 2 to 4294967295"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("/cfg/bad.yaml:19:1: resourses: unknown key 'resourses'"), std::string::npos) << what;
    EXPECT_NE(what.find("hint: did you mean 'resources'?"), std::string::npos) << what;
  }
  fs_.AddFile("/cfg/good.yaml", kMinimal);
  EXPECT_EQ(LoadUnifyConfig("/cfg/good.yaml", &fs_).sources.size(), 2u);
  EXPECT_THROW(LoadUnifyConfig("/cfg/none.yaml", &fs_), Error);
}

}  // namespace
}  // namespace cdmlake::unify
