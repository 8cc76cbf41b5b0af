#include "entitystore/rollup_base_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"
#include "util/error.h"
#include "util/file_system.h"

// Keeping a rollup's base between processings: one file, or one file per bucket with the untouched buckets
// carried into the next base as hard links; and what opening refuses. The update that uses it is checked end to
// end in tests/entitystore_e2e_test.cc (an incremental run equals a full process, the months not touched keep
// their files).

namespace cdmlake::entitystore {
namespace {

namespace fs = std::filesystem;

ino_t Inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

class RollupBaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = (fs::temp_directory_path() / ("cdmlake-base-store-" + std::to_string(::getpid()))).string();
    fs::remove_all(root_);
    fs::create_directories(root_);
    folder_ = root_ + "/_cdmlake/entitystore/M/rollups";
    catalog_.emplace(lake::Catalog::Open(*DefaultFileSystem(), root_, {}));
    // Six groups in three buckets; id 6 has no bucket row and goes to "none".
    con_.Execute("CREATE TEMP TABLE base AS SELECT range AS id, range * 10 AS v FROM range(1, 7)");
    con_.Execute("CREATE TEMP TABLE buckets AS SELECT * FROM (VALUES (1, '2024-01'), (2, '2024-01'), "
                 "(3, '2024-02'), (4, '2024-02'), (5, 'none')) AS t(id, \"__cdmlake_bucket\")");
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Scalar(const std::string& sql) { return con_.Query(sql).ScalarText(); }

  std::string root_, folder_;
  std::optional<lake::Catalog> catalog_;
  engine::Database db_{engine::Settings{1, "256MB", "", {}}};
  engine::Connection con_{db_};
};

TEST_F(RollupBaseStoreTest, ABaseKeptByBucketIsUpdatedInItsTouchedBucketsAlone) {
  const std::string first = KeepRollupBase(con_, *catalog_, folder_, "F", {"temp.base", "temp.buckets", "id", {}});
  EXPECT_EQ(first.rfind("_cdmlake/entitystore/M/rollups/F-", 0), 0u) << first;
  std::optional<KeptRollupBase> kept = OpenRollupBase(con_, *catalog_, folder_, first, "previous");
  ASSERT_TRUE(kept);
  ASSERT_TRUE(kept->by_bucket());
  EXPECT_EQ(kept->bucket_files.size(), 3u);
  EXPECT_TRUE(kept->bucket_files.count("none"));
  // The bucket is the folder's name, not a column of the base.
  EXPECT_EQ(Scalar("SELECT string_agg(column_name, ',') FROM (DESCRIBE SELECT * FROM " + kept->relation + ")"),
            "id,v");
  EXPECT_EQ(Scalar("SELECT sum(v) FROM " + kept->relation), "210");
  EXPECT_EQ(Scalar("SELECT string_agg(id::VARCHAR, ',' ORDER BY id) FROM " + kept->Buckets({"2024-01"}, true)),
            "1,2");
  EXPECT_EQ(Scalar("SELECT string_agg(id::VARCHAR, ',' ORDER BY id) FROM " + kept->Buckets({"2024-01"}, false)),
            "3,4,5,6");
  // A bucket without a file (a new month) reads as no rows, with the base's columns.
  EXPECT_EQ(Scalar("SELECT count(*) FROM " + kept->Buckets({"2030-01"}, true)), "0");

  // The next base: bucket 2024-01 written again, the others carried as the same files.
  con_.Execute("CREATE TEMP TABLE touched AS SELECT * FROM (VALUES (1, 11), (2, 22)) AS t(id, v)");
  RollupBaseToKeep next{"temp.touched", "temp.buckets", "id", kept->Files({"2024-01"}, false)};
  ASSERT_EQ(next.carried.size(), 2u);
  const std::string second = KeepRollupBase(con_, *catalog_, folder_, "F", next);
  ASSERT_NE(second, first);
  std::optional<KeptRollupBase> updated = OpenRollupBase(con_, *catalog_, folder_, second, "updated");
  ASSERT_TRUE(updated);
  EXPECT_EQ(Scalar("SELECT string_agg(id || ':' || v, ',' ORDER BY id) FROM " + updated->relation),
            "1:11,2:22,3:30,4:40,5:50,6:60");
  for (const auto& [bucket, files] : updated->bucket_files) {
    ASSERT_EQ(files.size(), 1u);
    if (bucket == "2024-01") {
      EXPECT_NE(Inode(files[0]), Inode(kept->bucket_files.at(bucket)[0]));
    } else {
      EXPECT_EQ(Inode(files[0]), Inode(kept->bucket_files.at(bucket)[0])) << bucket << " is carried, not copied";
    }
  }

  // A bucket both written and carried is a bug: refused, and no new base appears.
  RollupBaseToKeep clash{"temp.touched", "temp.buckets", "id", {{"2024-01", kept->bucket_files.at("2024-01")[0]}}};
  EXPECT_THROW(KeepRollupBase(con_, *catalog_, folder_, "F", clash), Error);

  // Pruning keeps the named base and removes the others, leftovers of failed runs included.
  PruneRollupBases(*catalog_, folder_, {second});
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(folder_)) left.push_back(entry.path().filename().string());
  EXPECT_EQ(left, (std::vector<std::string>{fs::path(second).filename().string()}));
  EXPECT_TRUE(OpenRollupBase(con_, *catalog_, folder_, second, "still"));
}

TEST_F(RollupBaseStoreTest, ABaseThatCannotBeCutIsOneFile) {
  const std::string path = KeepRollupBase(con_, *catalog_, folder_, "F", {"temp.base", "", "", {}});
  EXPECT_EQ(fs::path(path).extension(), ".parquet");
  std::optional<KeptRollupBase> kept = OpenRollupBase(con_, *catalog_, folder_, path, "flat");
  ASSERT_TRUE(kept);
  EXPECT_FALSE(kept->by_bucket());
  EXPECT_EQ(Scalar("SELECT count(*) FROM " + kept->relation), "6");
}

TEST_F(RollupBaseStoreTest, OnlyOurOwnBasesAreOpened) {
  const std::string path = KeepRollupBase(con_, *catalog_, folder_, "F", {"temp.base", "temp.buckets", "id", {}});
  // Outside the folder (an edited state), gone, or a folder we did not write: no base, so the rollup is recomputed.
  EXPECT_FALSE(OpenRollupBase(con_, *catalog_, folder_, "../../../../etc", "x"));
  EXPECT_FALSE(OpenRollupBase(con_, *catalog_, folder_, "_cdmlake/entitystore/M/rollups/F-0", "x"));
  fs::create_directories(folder_ + "/empty");
  EXPECT_FALSE(OpenRollupBase(con_, *catalog_, folder_, "_cdmlake/entitystore/M/rollups/empty", "x"));
  fs::create_directories(root_ + "/" + path + "/__cdmlake_bucket=2024'01");
  std::ofstream(root_ + "/" + path + "/__cdmlake_bucket=2024'01/data_0.parquet") << "x";
  EXPECT_FALSE(OpenRollupBase(con_, *catalog_, folder_, path, "x"));
}

}  // namespace
}  // namespace cdmlake::entitystore
