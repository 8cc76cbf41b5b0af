// `lake refresh` of Synapse Link incremental folders.
#include <gtest/gtest.h>

#include "lake/refresh.h"
#include "lake/refresh_test_util.h"

namespace cdmlake::lake {
namespace {

constexpr const char* kA = "00000000-0000-4000-8000-00000000000a";
constexpr const char* kB = "00000000-0000-4000-8000-00000000000b";
constexpr const char* kC = "00000000-0000-4000-8000-00000000000c";

class SynapseRefreshTest : public testing::RefreshTestBase {
 protected:
  void SetUp() override {
    RefreshTestBase::SetUp();
    Write("model.json", Model(true));
    Write("Changelog/changelog.info", "2024-01-01T13.00.00Z");
  }

  // A model.json declaring `account`; with_extra: also the column added later.
  static std::string Model(bool with_extra) {
    std::string attributes =
        R"({"name": "Id", "dataType": "guid"}, {"name": "SinkCreatedOn", "dataType": "dateTime"},
           {"name": "SinkModifiedOn", "dataType": "dateTime"}, {"name": "name", "dataType": "string", "maxLength": 100},
           {"name": "versionnumber", "dataType": "int64"}, {"name": "IsDelete", "dataType": "boolean"})";
    if (with_extra) attributes += R"(, {"name": "region", "dataType": "string"})";
    return R"({"name": "cdm", "version": "1.0", "entities": [{"$type": "LocalEntity", "name": "account", "attributes": [)" +
           attributes + "]}]}";
  }
  // A row: Id, SinkCreatedOn, SinkModifiedOn, name, versionnumber, IsDelete[, region].
  static std::string Row(const std::string& id, int64_t version, const std::string& name, bool deleted = false,
                         const std::string& modified = "1/1/2024 10:00:00 AM", const char* region = nullptr) {
    std::string row = id + ",\"1/1/2024 9:00:00 AM\",\"" + modified + "\"," + (deleted ? "" : "\"" + name + "\"") + "," +
                      std::to_string(version) + "," + (deleted ? "True" : "");
    if (region) row += std::string(",") + region;
    return row + "\n";
  }
  void Folder(const std::string& name, bool with_extra, const std::string& rows, const std::string& file = "2024.csv") {
    Write(name + "/model.json", Model(with_extra));
    Write(name + "/account/" + file, rows);
  }
  std::string Accounts() { return Query("SELECT Id, name, versionnumber, region FROM cdm.account ORDER BY Id"); }
};

TEST_F(SynapseRefreshTest, RaggedRowsAndTheInProgressFolder) {
  Folder("2024-01-01T10.00.00Z", false, Row(kA, 1, "a, \"\"quoted\"\"\nline two") + Row(kB, 2, "b"));
  // The column was added while this folder was written: its first row is narrower than its model.json. The
  // folder name uses colons, which some tools write.
  Folder("2024-01-01T11:00:00Z", true, Row(kA, 3, "a3") + Row(kC, 4, "c", false, "1/1/2024 11:00:00 AM", "\"west\""));
  // Being written: empty model.json, rows that must not be applied, and a folder after it.
  Write("2024-01-01T13.00.00Z/model.json", "");
  Write("2024-01-01T13.00.00Z/account/2024.csv", Row(kA, 9, "", true));
  Folder("2024-01-01T14.00.00Z", true, Row(kB, 9, "", true));
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(r.status, RefreshStatus::kRebuilt);
  EXPECT_EQ(r.rows_after, 3);
  EXPECT_EQ(r.change_rows, 4);
  EXPECT_EQ(r.watermark, "2024-01-01T11:00:00Z");
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_NE(r.notes[0].find("2024-01-01T13.00.00Z (in progress"), std::string::npos) << r.notes[0];
  EXPECT_EQ(Accounts(), std::string(kA) + "|a3|3|NULL\n" + kB + "|b|2|NULL\n" + kC + "|c|4|west\n");
  EXPECT_EQ(Query("SELECT SinkModifiedOn, SinkCreatedOn FROM cdm.account WHERE name = 'c'"),
            "2024-01-01 11:00:00|2024-01-01 09:00:00\n");
}

TEST_F(SynapseRefreshTest, StaleVersionsNeverWinAlsoForDeletesAndAcrossRefreshes) {
  Folder("2024-01-01T10.00.00Z", false, Row(kA, 5, "a5") + Row(kB, 5, "b5"));
  // A is deleted at 7; a stale upsert of A (6) and a stale delete of B (3) arrive after.
  Folder("2024-01-01T11.00.00Z", false, Row(kA, 7, "", true) + Row(kB, 3, "", true) + Row(kA, 6, "a6"));
  Write("Changelog/changelog.info", "2024-01-01T12.00.00Z");
  RefreshOne();
  EXPECT_EQ(Accounts(), std::string(kB) + "|b5|5|NULL\n");
  // The next refresh sees an even older upsert of A: the deleted Id's version is remembered.
  Folder("2024-01-01T12.00.00Z", false, Row(kA, 4, "a4") + Row(kC, 1, "c1"));
  Write("Changelog/changelog.info", "2024-01-01T13.00.00Z");
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(r.status, RefreshStatus::kRefreshed);
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(Accounts(), std::string(kB) + "|b5|5|NULL\n" + kC + "|c1|1|NULL\n");
  // A is created again at 8; the old delete (7) arriving after it must not win.
  Folder("2024-01-01T13.00.00Z", true, Row(kA, 8, "a8", false, "1/1/2024 1:00:00 PM", "\"north\"") + Row(kA, 7, "", true));
  Write("Changelog/changelog.info", "");
  r = RefreshOne();
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(r.watermark, "2024-01-01T13.00.00Z");
  const std::string expected = std::string(kA) + "|a8|8|north\n" + kB + "|b5|5|NULL\n" + kC + "|c1|1|NULL\n";
  EXPECT_EQ(Accounts(), expected);
  // A rebuild from every folder at once agrees.
  Remove("_cdmlake/refresh");
  EXPECT_EQ(RefreshOne().status, RefreshStatus::kRebuilt);
  EXPECT_EQ(Accounts(), expected);
  EXPECT_EQ(RefreshOne().status, RefreshStatus::kUpToDate);
}

TEST_F(SynapseRefreshTest, SinkModifiedOnBreaksVersionTiesAsATime) {
  // 1:00 PM is later than 9:00 AM although "1" sorts before "9".
  Folder("2024-01-01T10.00.00Z", false,
         Row(kA, 5, "afternoon", false, "1/2/2024 1:00:00 PM") + Row(kA, 5, "morning", false, "1/2/2024 9:00:00 AM"));
  RefreshOne();
  EXPECT_EQ(Accounts(), std::string(kA) + "|afternoon|5|NULL\n");
}

TEST_F(SynapseRefreshTest, AFinalizedFolderWithoutModelJsonIsAnError) {
  Folder("2024-01-01T10.00.00Z", false, Row(kA, 1, "a"));
  Write("Changelog/changelog.info", "2024-01-01T11.00.00Z");
  RefreshOne();
  const auto before = StateFiles();
  Folder("2024-01-01T11.00.00Z", false, Row(kA, 2, "a2"));
  Remove("2024-01-01T11.00.00Z/model.json");
  Write("Changelog/changelog.info", "2024-01-01T12.00.00Z");
  Error e = RefreshError();
  EXPECT_EQ(e.location().file, "2024-01-01T11.00.00Z");
  EXPECT_NE(e.message().find("has no model.json"), std::string::npos) << e.message();
  EXPECT_EQ(StateFiles(), before);
  Write("2024-01-01T11.00.00Z/model.json", "  \n");
  EXPECT_NE(RefreshError().message().find("empty model.json"), std::string::npos);
  EXPECT_EQ(StateFiles(), before);
}

TEST_F(SynapseRefreshTest, RowsWiderThanTheSchemaOrCutBeforeIsDeleteAreErrors) {
  Folder("2024-01-01T10.00.00Z", false, Row(kA, 1, "a\nmultiline") + Row(kB, 2, "b", false, "1/1/2024 10:00:00 AM", "\"x\""));
  Error e = RefreshError();
  EXPECT_EQ(e.location().file, "2024-01-01T10.00.00Z/account/2024.csv");
  EXPECT_EQ(e.location().line, 3);
  EXPECT_NE(e.message().find("at most the 6 columns"), std::string::npos) << e.message();
  Folder("2024-01-01T10.00.00Z", false, Row(kA, 1, "a") + std::string(kB) + ",\"1/1/2024 9:00:00 AM\",,\"b\",2\n");
  e = RefreshError();
  EXPECT_EQ(e.location().line, 2);
  EXPECT_NE(e.message().find("up to IsDelete"), std::string::npos) << e.message();
  EXPECT_TRUE(StateFiles().empty());
}

TEST_F(SynapseRefreshTest, BadValuesNameTheFileAndLine) {
  Folder("2024-01-01T10.00.00Z", false, Row(kA, 1, "a") + Row(kB, 2, "b", false, "13/45/2024 9:00 XM"));
  Error e = RefreshError();
  EXPECT_EQ(e.location().file, "2024-01-01T10.00.00Z/account/2024.csv");
  EXPECT_EQ(e.location().line, 2);
  EXPECT_NE(e.message().find("SinkModifiedOn '13/45/2024 9:00 XM'"), std::string::npos) << e.message();
  Folder("2024-01-01T10.00.00Z", false, Row(kA, 1, "a") + Row("not-a-guid", 2, "b"));
  e = RefreshError();
  EXPECT_EQ(e.location().line, 2);
  Folder("2024-01-01T10.00.00Z", false, Row(kA, 1, "a") + std::string(kB) + ",,,\"b\",,\n");
  e = RefreshError();
  EXPECT_EQ(e.location().line, 2);
  EXPECT_NE(e.message().find("no versionnumber"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace cdmlake::lake
