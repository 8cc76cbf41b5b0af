#include "cdm/manifest_reader.h"

#include <gtest/gtest.h>

#include "cdm/partition_listing.h"

namespace cdmlake::cdm {
namespace {

const char* kRoot = R"({
  "manifestName": "Tables",
  "subManifests": [{"manifestName": "Finance", "definition": "Finance/Finance.manifest.cdm.json"}]
})";

const char* kFinance = R"({
  "manifestName": "Finance",
  "subManifests": [{"manifestName": "Main", "definition": "AR/Main/Main.manifest.cdm.json"}]
})";

// Leaf: an explicit CSV partition with traits, a glob pattern, a regex pattern with parameters, legacy keys.
const char* kLeaf = "\xEF\xBB\xBF" R"({
  "manifestName": "Main",
  "entities": [
    {"type": "LocalEntity", "entityName": "CustTable", "entityPath": "CustTable.cdm.json/CustTable",
     "dataPartitions": [
       {"location": "CustTable/CUSTTABLE_00001.csv",
        "exhibitsTraits": [{"traitReference": "is.partition.format.CSV",
                            "arguments": [{"name": "columnHeaders", "value": "true"}, {"name": "delimiter", "value": ";"}]}],
        "arguments": [{"key": "legacy", "value": "yes"}]}]},
    {"entityName": "SalesLine", "entitySchema": "SalesLine.cdm.json/SalesLine",
     "dataPartitionPatterns": [{"name": "lines", "rootLocation": "SalesLine", "globPattern": "/**/*.csv"}]},
    {"entityName": "Ledger", "entityPath": "Ledger.cdm.json/Ledger",
     "dataPartitionPatterns": [{"name": "byYear", "rootLocation": "Ledger",
                                "regularExpression": "/(\\d{4})/data_(\\w+)\\.csv", "parameters": ["year", "company"]}]}
  ]
})";

const char* kCustTable = R"({
  "definitions": [
    {"dataTypeName": "CustAccount", "extendsDataType": "string"},
    {"entityName": "CustTable", "hasAttributes": [
      {"name": "RECID", "dataFormat": "Int64", "purpose": "identifiedBy", "isNullable": false},
      {"name": "ACCOUNTNUM", "dataType": "CustAccount", "maximumLength": 20},
      {"name": "CREDITMAX", "dataFormat": "Decimal", "appliedTraits": [
        {"traitReference": "is.dataFormat.numeric.shaped", "arguments": [{"name": "precision", "value": "32"}, {"name": "scale", "value": "6"}]}]},
      {"name": "AMOUNT2", "dataType": {"dataTypeReference": "decimal", "appliedTraits": [
        {"traitReference": "is.dataFormat.numeric.shaped", "arguments": ["19", "4"]}]}},
      {"name": "BLOCKED", "dataFormat": "Int32", "appliedTraits": [
        {"traitReference": "is.constrainedList.wellKnown", "arguments": [{"name": "defaultList", "value":
          {"entityReference": {"constantValues": [["en-US", "No", "No", "0"], ["en-US", "Invoice", "Invoice", "1"]]}}}]}]},
      {"name": "CREATED", "appliedTraits": ["is.dataFormat.date", "is.dataFormat.time"]}
    ]}
  ]
})";

const char* kSalesLineResolved = R"({"definitions": [{"entityName": "SalesLine", "hasAttributes": [
  {"name": "RECID", "dataFormat": "Int64"}, {"name": "LINEAMOUNT", "dataFormat": "Decimal"}]}]})";
const char* kSalesLineLogical = R"({"definitions": [{"entityName": "SalesLine", "hasAttributes": [
  {"attributeGroupReference": "attributesAddedAtThisScope"}]}]})";
const char* kLedger = R"({"definitions": [{"entityName": "LEDGER", "hasAttributes": [{"name": "ID", "dataType": "bigInteger"}]}]})";

class ManifestReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.AddFile("/lake/Tables/Tables.manifest.cdm.json", kRoot);
    fs_.AddFile("/lake/Tables/Finance/Finance.manifest.cdm.json", kFinance);
    fs_.AddFile("/lake/Tables/Finance/AR/Main/Main.manifest.cdm.json", kLeaf);
    fs_.AddFile("/lake/Tables/Finance/AR/Main/CustTable.cdm.json", kCustTable);
    fs_.AddFile("/lake/Tables/Finance/AR/Main/SalesLine.cdm.json", kSalesLineLogical);
    fs_.AddFile("/lake/Tables/Finance/AR/Main/resolved/SalesLine.cdm.json", kSalesLineResolved);
    fs_.AddFile("/lake/Tables/Finance/AR/Main/Ledger.cdm.json", kLedger);
    fs_.AddFile("/lake/Tables/Finance/AR/Main/CustTable/CUSTTABLE_00001.csv", "");
    fs_.AddFile("/lake/Tables/Finance/AR/Main/SalesLine/a.csv", "");
    fs_.AddFile("/lake/Tables/Finance/AR/Main/SalesLine/2024/b.csv", "");
    fs_.AddFile("/lake/Tables/Finance/AR/Main/SalesLine/.hidden.csv", "");
    fs_.AddFile("/lake/Tables/Finance/AR/Main/Ledger/2024/data_usmf.csv", "");
    fs_.AddFile("/lake/Tables/Finance/AR/Main/Ledger/2024/other.csv", "");
  }
  RootDocument Read() { return ReadManifestTree(resolver_, "Tables/Tables.manifest.cdm.json"); }
  const Entity& Get(const RootDocument& root, const std::string& name) {
    for (const auto& e : root.entities) {
      if (e.name == name) return e;
    }
    ADD_FAILURE() << "no entity " << name;
    return root.entities.front();
  }
  MemoryFileSystem fs_;
  LocationResolver resolver_{fs_, "/lake"};
};

TEST_F(ManifestReaderTest, FollowsSubManifestsAndReadsResolvedEntities) {
  RootDocument root = Read();
  EXPECT_FALSE(root.failed);
  EXPECT_EQ(root.name, "Tables");
  ASSERT_EQ(root.entities.size(), 3u);
  for (const auto& p : root.problems) ADD_FAILURE() << p.file << ": " << p.message;
  const Entity& cust = Get(root, "CustTable");
  EXPECT_TRUE(cust.readable);
  EXPECT_TRUE(cust.d365_empty_dates) << "Tables.manifest.cdm.json is the D365 export";
  EXPECT_EQ(cust.manifest, "Tables/Finance/AR/Main/Main.manifest.cdm.json");
  ASSERT_EQ(cust.attributes.size(), 6u);
  EXPECT_TRUE(cust.attributes[0].primary_key);
  EXPECT_FALSE(cust.attributes[0].nullable);
  EXPECT_EQ(cust.attributes[1].format, DataFormat::kString) << "EDT resolved through dataTypeName";
  EXPECT_EQ(cust.attributes[1].maximum_length, 20);
  EXPECT_EQ(cust.attributes[2].SqlType(), "DECIMAL(32,6)");
  EXPECT_EQ(cust.attributes[3].SqlType(), "DECIMAL(19,4)") << "positional trait arguments";
  ASSERT_EQ(cust.attributes[4].enum_values.size(), 2u);
  EXPECT_EQ(cust.attributes[4].enum_values[1].value, 1);
  EXPECT_EQ(cust.attributes[4].enum_values[1].symbol, "Invoice");
  EXPECT_EQ(cust.attributes[5].format, DataFormat::kDateTime) << "format from traits only";
  ASSERT_EQ(cust.partitions.size(), 1u);
  EXPECT_TRUE(cust.partitions[0].csv.header);
  EXPECT_EQ(cust.partitions[0].csv.delimiter, ";");
  EXPECT_EQ(cust.partitions[0].arguments[0].first, "legacy");
}

TEST_F(ManifestReaderTest, PrefersTheResolvedCopy) {
  RootDocument root = Read();
  const Entity& lines = Get(root, "SalesLine");
  EXPECT_EQ(lines.document, "Tables/Finance/AR/Main/resolved/SalesLine.cdm.json");
  EXPECT_TRUE(lines.readable);
  EXPECT_EQ(lines.attributes.size(), 2u);
}

TEST_F(ManifestReaderTest, PatternsExpandWithSdkSemantics) {
  RootDocument root = Read();
  std::vector<Problem> problems;
  auto lines = ListPartitions(resolver_, Get(root, "SalesLine"), &problems);
  ASSERT_EQ(lines.size(), 2u) << "**/ matches zero or more folders; hidden files are not data";
  EXPECT_EQ(lines[0].location, "Tables/Finance/AR/Main/SalesLine/2024/b.csv");
  EXPECT_EQ(lines[1].location, "Tables/Finance/AR/Main/SalesLine/a.csv");
  auto ledger = ListPartitions(resolver_, Get(root, "Ledger"), &problems);
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0].arguments, (std::vector<std::pair<std::string, std::string>>{{"year", "2024"}, {"company", "usmf"}}));
  EXPECT_TRUE(problems.empty());
}

TEST_F(ManifestReaderTest, StampsEveryDocumentRead) {
  RootDocument root = Read();
  std::vector<std::string> paths;
  for (const auto& d : root.documents) paths.push_back(d.path);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "Tables/Finance/Finance.manifest.cdm.json"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "Tables/Finance/AR/Main/resolved/SalesLine.cdm.json"), paths.end());
  // Looked for and missing: a resolved copy appearing later must invalidate the cache.
  auto missing = std::find_if(root.documents.begin(), root.documents.end(), [](const DocumentStamp& d) {
    return d.path == "Tables/Finance/AR/Main/resolved/CustTable.cdm.json";
  });
  ASSERT_NE(missing, root.documents.end());
  EXPECT_EQ(missing->size, -1);
}

TEST_F(ManifestReaderTest, ProblemsNameFileLineAndEntity) {
  fs_.AddFile("/lake/Tables/Finance/AR/Main/resolved/SalesLine.cdm.json", kSalesLineLogical);
  fs_.AddFile("/lake/Tables/Finance/AR/Main/Ledger.cdm.json",
              R"({"definitions": [{"entityName": "Ledger", "hasAttributes": [
  {"name": "ID", "dataFormat": "Int128"}]}]})");
  RootDocument root = Read();
  ASSERT_GE(root.problems.size(), 2u);
  bool logical = false, unknown = false;
  for (const auto& p : root.problems) {
    if (p.entity == "SalesLine" && p.message.find("resolved") != std::string::npos) logical = true;
    if (p.entity == "Ledger" && p.message.find("Int128") != std::string::npos) {
      unknown = true;
      EXPECT_EQ(p.file, "Tables/Finance/AR/Main/Ledger.cdm.json");
      EXPECT_EQ(p.line, 2);
    }
  }
  EXPECT_TRUE(logical);
  EXPECT_TRUE(unknown);
  EXPECT_FALSE(Get(root, "SalesLine").readable);
  EXPECT_TRUE(Get(root, "CustTable").readable) << "one bad entity does not hide the others";
}

TEST_F(ManifestReaderTest, MalformedAndMissingDocuments) {
  fs_.AddFile("/lake/Tables/Finance/Finance.manifest.cdm.json", "{\n  \"manifestName\": \"Finance\",\n  oops\n}");
  RootDocument root = Read();
  ASSERT_EQ(root.problems.size(), 1u);
  EXPECT_EQ(root.problems[0].file, "Tables/Finance/Finance.manifest.cdm.json");
  EXPECT_EQ(root.problems[0].line, 3);
  EXPECT_NE(root.problems[0].message.find("malformed JSON"), std::string::npos);
  EXPECT_FALSE(root.failed) << "only a sub-manifest failed";

  RootDocument missing = ReadManifestTree(resolver_, "Nope/Nope.manifest.cdm.json");
  EXPECT_TRUE(missing.failed);
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_NE(missing.problems[0].message.find("does not exist"), std::string::npos);
}

TEST_F(ManifestReaderTest, BadPatternsAndLocations) {
  fs_.AddFile("/lake/Tables/Finance/AR/Main/Main.manifest.cdm.json", R"({"entities": [
    {"entityName": "Ledger", "entityPath": "Ledger.cdm.json/Ledger",
     "dataPartitionPatterns": [{"name": "bad", "rootLocation": "Ledger", "regularExpression": "/(unclosed"}]},
    {"entityName": "CustTable", "entityPath": "CustTable.cdm.json/CustTable",
     "dataPartitions": [{"location": "../../../../../etc/passwd"}]}]})");
  RootDocument root = Read();
  EXPECT_FALSE(Get(root, "Ledger").readable);
  EXPECT_FALSE(Get(root, "CustTable").readable);
  int found = 0;
  for (const auto& p : root.problems) {
    found += p.message.find("invalid regularExpression") != std::string::npos;
    found += p.message.find("outside the lake root") != std::string::npos;
  }
  EXPECT_EQ(found, 2);
}

TEST_F(ManifestReaderTest, SubManifestCyclesAreReadOnce) {
  fs_.AddFile("/lake/Tables/Finance/Finance.manifest.cdm.json",
              R"({"subManifests": [{"definition": "../Tables.manifest.cdm.json"}]})");
  RootDocument root = Read();
  ASSERT_EQ(root.problems.size(), 1u);
  EXPECT_NE(root.problems[0].message.find("cycle"), std::string::npos);
}

}  // namespace
}  // namespace cdmlake::cdm
