// `lake refresh` of incremental partitions (Customer Insights style: FullData/ plus hour folders of upserts and
// deletes).
#include <gtest/gtest.h>

#include "lake/refresh.h"
#include "lake/refresh_test_util.h"

namespace cdmlake::lake {
namespace {

class IncrementalRefreshTest : public testing::RefreshTestBase {
 protected:
  void SetUp() override {
    RefreshTestBase::SetUp();
    const std::string csv =
        R"({"traitReference": "is.partition.format.CSV", "arguments": [{"name": "columnHeaders", "value": "true"}]})";
    auto incremental = [&](const std::string& name, const std::string& type, const std::string& folder) {
      return R"({"name": ")" + name + R"(", "rootLocation": "Customer/IncrementalData", "globPattern": "/**/)" + folder +
             R"(/*.csv", "exhibitsTraits": [{"traitReference": "is.partition.incremental", "arguments": [
               {"name": "type", "value": ")" + type + R"("}, {"name": "fullDataPartitionPatternName", "value": "full"}]}, )" +
             csv + "]}";
    };
    Write("default.manifest.cdm.json", R"({"manifestName": "ci", "entities": [{"entityName": "Customer",
      "entityPath": "Customer.cdm.json/Customer",
      "dataPartitionPatterns": [{"name": "full", "rootLocation": "Customer/FullData", "globPattern": "*.csv",
                                 "exhibitsTraits": [)" + csv + R"(]}],
      "incrementalPartitionPatterns": [)" + incremental("upserts", "Upsert", "Upserts") + ", " +
                                           incremental("deletes", "Delete", "Deletes") + "]}]}");
    Write("Customer.cdm.json", R"({"definitions": [{"entityName": "Customer", "hasAttributes": [
      {"name": "Region", "dataFormat": "String", "isPrimaryKey": true},
      {"name": "CustomerId", "dataFormat": "Int64", "purpose": "identifiedBy"},
      {"name": "Name", "dataFormat": "String"}]}]})");
    Write("Customer/FullData/part-1.csv", "Region,CustomerId,Name\nEU,1,Ann\nEU,2,Bob\nUS,1,Cy\n");
  }
  void Hour(const std::string& hour, const std::string& kind, const std::string& rows, const std::string& file = "a.csv") {
    Write("Customer/IncrementalData/" + hour + "/" + kind + "/" + file, rows);
  }
  std::string Customers() { return Query("SELECT Region, CustomerId, Name FROM ci.Customer ORDER BY ALL"); }
  RefreshOptions At(int64_t now) {
    RefreshOptions o;
    o.now_unix_seconds = now;
    return o;
  }
  static constexpr int64_t kLater = 1718496000;        // 2024-06-16T00:00:00Z
  static constexpr int64_t kHalfPastEleven = 1718451000;  // 2024-06-15T11:30:00Z
};

TEST_F(IncrementalRefreshTest, TheLaterHourWinsAndADeleteWinsItsOwnHour) {
  Hour("2024/06/15/10", "Upserts", "Region,CustomerId,Name\nEU,2,Bob v2\nUS,2,Dee\nEU,1,Ann v2\n");
  // Deletes may hold only the key; a delete and an upsert of the same hour: the delete wins.
  Hour("2024/06/15/10", "Deletes", "Region,CustomerId\nUS,1\nEU,1\n");
  Hour("2024/06/15/11", "Upserts", "Region,CustomerId,Name\nUS,1,Cy again\n");
  Hour("2024/06/15/11", "Deletes", "Region,CustomerId,Name\nUS,2,Dee\n");
  TableRefreshResult r = RefreshOne(At(kLater));
  EXPECT_EQ(r.status, RefreshStatus::kRebuilt);
  EXPECT_EQ(r.watermark, "2024-06-15T11");
  EXPECT_EQ(Customers(), "EU|2|Bob v2\nUS|1|Cy again\n");
  EXPECT_EQ(r.updated, 2);
  EXPECT_EQ(r.deleted, 1);
}

TEST_F(IncrementalRefreshTest, HoursThatAreNotOverWaitAndLateFilesAreErrors) {
  Hour("2024/06/15/10", "Upserts", "Region,CustomerId,Name\nEU,3,Eve\n");
  Hour("2024/06/15/11", "Upserts", "Region,CustomerId,Name\nEU,3,Eve 11\n");
  // At 11:30 the hour 11 is still being written.
  TableRefreshResult r = RefreshOne(At(kHalfPastEleven));
  EXPECT_EQ(r.watermark, "2024-06-15T10");
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("hour 2024-06-15T11"), std::string::npos);
  EXPECT_EQ(Customers(), "EU|1|Ann\nEU|2|Bob\nEU|3|Eve\nUS|1|Cy\n");
  r = RefreshOne(At(kLater));
  EXPECT_EQ(r.status, RefreshStatus::kRefreshed);
  EXPECT_EQ(Customers(), "EU|1|Ann\nEU|2|Bob\nEU|3|Eve 11\nUS|1|Cy\n");
  const auto before = StateFiles();
  Hour("2024/06/15/10", "Upserts", "Region,CustomerId,Name\nEU,4,late\n", "b.csv");
  Error e = RefreshError(At(kLater));
  EXPECT_EQ(e.location().file, "Customer/IncrementalData/2024/06/15/10/Upserts/b.csv");
  EXPECT_NE(e.message().find("appeared after"), std::string::npos) << e.message();
  EXPECT_EQ(StateFiles(), before);
}

TEST_F(IncrementalRefreshTest, NewFullDataOrAChangedIncrementRebuilds) {
  Hour("2024/06/15/10", "Deletes", "Region,CustomerId\nEU,1\n");
  RefreshOne(At(kLater));
  Write("Customer/FullData/part-1.csv", "Region,CustomerId,Name\nEU,1,Ann\nJP,1,Jun\n");
  TableRefreshResult r = RefreshOne(At(kLater));
  EXPECT_EQ(r.status, RefreshStatus::kRebuilt);
  EXPECT_EQ(Customers(), "JP|1|Jun\n");
  Hour("2024/06/15/10", "Deletes", "Region,CustomerId\nJP,1\n");
  EXPECT_EQ(RefreshOne(At(kLater)).status, RefreshStatus::kRebuilt);
  EXPECT_EQ(Customers(), "EU|1|Ann\n");
  EXPECT_EQ(RefreshOne(At(kLater)).status, RefreshStatus::kUpToDate);
}

TEST_F(IncrementalRefreshTest, RowsWithoutAKeyAreErrors) {
  Hour("2024/06/15/10", "Upserts", "Region,CustomerId,Name\nEU,5,ok\n\"\",,no id\n");
  Error e = RefreshError(At(kLater));
  EXPECT_EQ(e.location().file, "Customer/IncrementalData/2024/06/15/10/Upserts/a.csv");
  EXPECT_EQ(e.location().line, 3);
  EXPECT_TRUE(StateFiles().empty());
}

}  // namespace
}  // namespace cdmlake::lake
