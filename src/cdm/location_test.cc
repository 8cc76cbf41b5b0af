#include "cdm/location.h"

#include <gtest/gtest.h>

namespace cdmlake::cdm {
namespace {

class LocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.AddFile("/lake/Tables/Sales/SalesLine/SALESLINE_00001.csv", "x");
    fs_.AddFile("/lake/powerbi/Account/part-1.csv", "x");
  }
  MemoryFileSystem fs_;
  LocationResolver resolver_{fs_, "/lake"};
};

TEST_F(LocationTest, RelativeToTheDeclaringDocument) {
  auto r = resolver_.Resolve("Tables/Sales/Sales.manifest.cdm.json", "SalesLine/SALESLINE_00001.csv");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.path, "Tables/Sales/SalesLine/SALESLINE_00001.csv");
  EXPECT_EQ(resolver_.Resolve("Tables/Sales/Sales.manifest.cdm.json", "./SalesLine/../SalesLine/x.csv").path,
            "Tables/Sales/SalesLine/x.csv");
  EXPECT_EQ(resolver_.Resolve("Tables/a.json", "My%20Folder/x.csv").path, "Tables/My Folder/x.csv");
}

TEST_F(LocationTest, NothingEscapesTheLakeRoot) {
  EXPECT_FALSE(resolver_.Resolve("Tables/Sales/Sales.manifest.cdm.json", "../../../etc/passwd").ok);
  auto abs = resolver_.Resolve("Tables/x.json", "/etc/passwd");
  EXPECT_FALSE(abs.ok);
  EXPECT_NE(abs.error.find("outside the lake root"), std::string::npos);
  EXPECT_FALSE(resolver_.Resolve("x.json", "https://acct.dfs.core.windows.net/c/../../etc/passwd").ok);
  EXPECT_FALSE(resolver_.Resolve("x.json", "").ok);
}

TEST_F(LocationTest, AbsolutePathsInsideTheLakeAreKept) {
  auto r = resolver_.Resolve("x.json", "/lake/Tables/Sales/SalesLine/SALESLINE_00001.csv");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.path, "Tables/Sales/SalesLine/SALESLINE_00001.csv");
  // A corpus path absolute within the lake's namespace.
  EXPECT_EQ(resolver_.Resolve("x.json", "/Tables/Sales/SalesLine/SALESLINE_00001.csv").path,
            "Tables/Sales/SalesLine/SALESLINE_00001.csv");
}

TEST_F(LocationTest, UrlsMapToTheLongestExistingSuffix) {
  auto r = resolver_.Resolve("powerbi/model.json",
                             "https://acct.dfs.core.windows.net/container/powerbi/Account/part-1.csv?snapshot=2020");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.path, "powerbi/Account/part-1.csv");
  auto adls = resolver_.Resolve("powerbi/model.json", "adls:/container/powerbi/Account/part-1.csv");
  EXPECT_EQ(adls.path, "powerbi/Account/part-1.csv");
  auto missing = resolver_.Resolve("powerbi/model.json", "https://acct.blob.core.windows.net/container/other/x.csv");
  ASSERT_TRUE(missing.ok);
  EXPECT_EQ(missing.path, "other/x.csv") << "the container is dropped so the missing file is named plausibly";
}

TEST_F(LocationTest, Namespaces) {
  EXPECT_EQ(resolver_.Resolve("a/b.json", "local:/Tables/x.csv").path, "Tables/x.csv");
  EXPECT_FALSE(resolver_.Resolve("a/b.json", "cdm:/foundations.cdm.json").ok);
}

}  // namespace
}  // namespace cdmlake::cdm
