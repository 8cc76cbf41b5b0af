#include "lake/catalog.h"

#include <gtest/gtest.h>

#include "lake/discovery.h"
#include "util/error.h"

namespace cdmlake::lake {
namespace {

std::string Manifest(const std::string& name, const std::string& entities, const std::string& subs = "") {
  return R"({"manifestName": ")" + name + R"(", "entities": [)" + entities + R"(], "subManifests": [)" + subs + "]}";
}
std::string Decl(const std::string& name) {
  return R"({"entityName": ")" + name + R"(", "entityPath": ")" + name + ".cdm.json/" + name + R"("})";
}
std::string Doc(const std::string& name, const std::string& attrs = R"({"name": "ID", "dataFormat": "Int64"})") {
  return R"({"definitions": [{"entityName": ")" + name + R"(", "hasAttributes": [)" + attrs + "]}]}";
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.AddFile("/lake/Tables/Tables.manifest.cdm.json",
                Manifest("Tables", Decl("CustTable") + "," + Decl("Shared"),
                         R"({"definition": "Sub/Sub.manifest.cdm.json"})"));
    fs_.AddFile("/lake/Tables/CustTable.cdm.json", Doc("CustTable"));
    fs_.AddFile("/lake/Tables/Shared.cdm.json", Doc("Shared"));
    fs_.AddFile("/lake/Tables/Sub/Sub.manifest.cdm.json", Manifest("Sub", Decl("SalesLine")));
    fs_.AddFile("/lake/Tables/Sub/SalesLine.cdm.json", Doc("SalesLine"));
    fs_.AddFile("/lake/crm/model.json", R"({"name": "main", "entities": [{"name": "Shared", "attributes": [{"name": "x", "dataType": "string"}]},
      {"name": "Contact", "attributes": [{"name": "a", "dataType": "string"}, {"name": "A", "dataType": "string"}]}]})");
    fs_.AddFile("/lake/_cdmlake/ignored.manifest.cdm.json", "{}");
    fs_.AddFile("/lake/.hidden/x.manifest.cdm.json", "{}");
  }
  MemoryFileSystem fs_;
};

TEST_F(CatalogTest, DiscoveryStopsAtRootsAndSkipsStateFolders) {
  EXPECT_EQ(FindRootDocuments(fs_, "/lake"),
            (std::vector<std::string>{"Tables/Tables.manifest.cdm.json", "crm/model.json"}));
}

TEST_F(CatalogTest, SchemasAndNames) {
  Catalog catalog = Catalog::Open(fs_, "/lake", {});
  EXPECT_EQ(catalog.schemas(), (std::vector<std::string>{"Tables", "main_cdm"})) << "reserved schema names are renamed";
  EXPECT_EQ(catalog.entities().size(), 5u);
  ASSERT_NE(catalog.Find("salesline"), nullptr) << "case-insensitive";
  EXPECT_EQ(catalog.Find("salesline")->schema, "Tables");
  EXPECT_EQ(catalog.Find("Shared"), nullptr) << "ambiguous without a schema";
  EXPECT_FALSE(catalog.IsUnique("Shared"));
  ASSERT_NE(catalog.Find("main_cdm", "shared"), nullptr);
  const cdm::Entity* contact = catalog.Find("Contact");
  ASSERT_NE(contact, nullptr);
  EXPECT_FALSE(contact->readable) << "two columns named a/A";
  int warnings = 0;
  for (const auto& p : catalog.problems()) warnings += p.severity == cdm::Severity::kWarning;
  EXPECT_EQ(warnings, 1) << "the ambiguous name is reported";
}

TEST_F(CatalogTest, CacheIsReusedUntilADocumentChanges) {
  Catalog first = Catalog::Open(fs_, "/lake", {});
  EXPECT_EQ(first.stats().roots_from_cache, 0);
  ASSERT_TRUE(fs_.Stat("/lake/_cdmlake/catalog.bin").has_value());
  Catalog second = Catalog::Open(fs_, "/lake", {});
  EXPECT_EQ(second.stats().roots_from_cache, 2);
  EXPECT_EQ(second.entities().size(), 5u);
  // A changed entity document below a sub-manifest invalidates its root only.
  fs_.AddFile("/lake/Tables/Sub/SalesLine.cdm.json",
              Doc("SalesLine", R"({"name": "ID", "dataFormat": "Int64"}, {"name": "AMOUNT", "dataFormat": "Decimal"})"), 99);
  Catalog third = Catalog::Open(fs_, "/lake", {});
  EXPECT_EQ(third.stats().roots_from_cache, 1);
  EXPECT_EQ(third.Find("SalesLine")->attributes.size(), 2u);
  // A resolved copy appearing later is picked up.
  fs_.AddFile("/lake/Tables/resolved/CustTable.cdm.json", Doc("CustTable", R"({"name": "RESOLVED", "dataFormat": "String"})"));
  Catalog fourth = Catalog::Open(fs_, "/lake", {});
  EXPECT_EQ(fourth.Find("CustTable")->attributes[0].name, "RESOLVED");
}

TEST_F(CatalogTest, DamagedCacheIsRebuilt) {
  Catalog::Open(fs_, "/lake", {});
  fs_.AddFile("/lake/_cdmlake/catalog.bin", "garbage");
  Catalog catalog = Catalog::Open(fs_, "/lake", {});
  EXPECT_EQ(catalog.stats().roots_from_cache, 0);
  EXPECT_EQ(catalog.entities().size(), 5u);
}

TEST_F(CatalogTest, ManifestsIncludedByASiblingAreNotRoots) {
  fs_.AddFile("/lake/x/default.manifest.cdm.json", Manifest("default", "", R"({"definition": "other.manifest.cdm.json"})"));
  fs_.AddFile("/lake/x/other.manifest.cdm.json", Manifest("other", Decl("Thing")));
  fs_.AddFile("/lake/x/Thing.cdm.json", Doc("Thing"));
  Catalog catalog = Catalog::Open(fs_, "/lake", {});
  ASSERT_NE(catalog.Find("Thing"), nullptr);
  EXPECT_EQ(catalog.Find("Thing")->schema, "x") << "a manifest named default takes its folder's name";
}

TEST_F(CatalogTest, DuplicateEntitiesInOneRoot) {
  fs_.AddFile("/lake/Tables/Sub/Sub.manifest.cdm.json", Manifest("Sub", Decl("CustTable")));
  fs_.AddFile("/lake/Tables/Sub/CustTable.cdm.json", Doc("CustTable"));
  Catalog catalog = Catalog::Open(fs_, "/lake", {false, false});
  EXPECT_TRUE(catalog.has_errors());
  ASSERT_NE(catalog.Find("Tables", "CustTable"), nullptr);
  EXPECT_TRUE(catalog.Find("Tables", "CustTable")->readable) << "the first declaration wins";
}

TEST(CatalogOpenTest, MissingLakeIsAUserError) {
  MemoryFileSystem fs;
  try {
    Catalog::Open(fs, "/nope", {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
  }
}

}  // namespace
}  // namespace cdmlake::lake

namespace cdmlake::lake {
namespace {

// A D365 change feed entity gives way to its table for the unqualified name.
TEST(CatalogNamesTest, ChangeFeedEntitiesDoNotMakeTableNamesAmbiguous) {
  MemoryFileSystem fs;
  fs.AddFile("/lake/Tables/Tables.manifest.cdm.json", Manifest("Tables", Decl("SalesLine")));
  fs.AddFile("/lake/Tables/SalesLine.cdm.json", Doc("SalesLine"));
  fs.AddFile("/lake/ChangeFeed/ChangeFeed.manifest.cdm.json", Manifest("ChangeFeed", Decl("SALESLINE")));
  fs.AddFile("/lake/ChangeFeed/SALESLINE.cdm.json", Doc("SALESLINE"));
  Catalog catalog = Catalog::Open(fs, "/lake", {false, false});
  ASSERT_NE(catalog.Find("salesline"), nullptr);
  EXPECT_EQ(catalog.Find("salesline")->schema, "Tables");
  EXPECT_TRUE(catalog.IsUnqualifiedName(*catalog.Find("Tables", "SalesLine")));
  EXPECT_FALSE(catalog.IsUnqualifiedName(*catalog.Find("ChangeFeed", "SalesLine")));
  for (const auto& p : catalog.problems()) ADD_FAILURE() << "no ambiguity to report: " << p.message;
}

}  // namespace
}  // namespace cdmlake::lake
