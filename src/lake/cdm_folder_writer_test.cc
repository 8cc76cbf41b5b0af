#include "lake/cdm_folder_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "lake/catalog.h"
#include "lake/session.h"

namespace cdmlake::lake {
namespace {

namespace fs = std::filesystem;

// A table with a column of every CDM type, with NULLs, multi-line and quoted strings, extreme decimals and dates.
const char* kAllTypes = R"(
CREATE TABLE source AS SELECT * FROM (VALUES
  (1::SMALLINT, 1::INTEGER, 1::BIGINT, 0::UTINYINT, 1.5::FLOAT, 0.1::DOUBLE,
   '99999999999999999999999999.999999999999'::DECIMAL(38,12), true, '5c8b3e8f-1d2a-4b5c-9e8f-0a1b2c3d4e5f'::UUID,
   'plain', DATE '0001-01-01', TIME '00:00:00', TIMESTAMP '2020-08-24 05:26:03.862264',
   TIMESTAMPTZ '2020-01-01 10:00:00+02', '\x00\xFF'::BLOB, '{"a": [1, 2]}'::JSON),
  ((-32768)::SMALLINT, (-2147483648)::INTEGER, (-9223372036854775808)::BIGINT, 255::UTINYINT, (-3.25)::FLOAT, 1e300::DOUBLE,
   '-99999999999999999999999999.999999999999'::DECIMAL(38,12), false, '00000000-0000-0000-0000-000000000000'::UUID,
   'multi
line, "quoted", and ü', DATE '9999-12-31', TIME '23:59:59.999999', TIMESTAMP '1900-01-01 00:00:00',
   TIMESTAMPTZ '2024-02-29 23:59:59.123456+00', ''::BLOB, 'null'::JSON),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL),
  (NULL, NULL, NULL, NULL, NULL, NULL, 0::DECIMAL(38,12), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) t(i16, i32, i64, u8, f32, f64, dec, flag, id, text, d, tm, ts, tstz, bin, doc))";

class CdmFolderWriterTest : public ::testing::TestWithParam<cdm::FileFormat> {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_writer_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(static_cast<int>(GetParam())));
    fs::remove_all(root_);
    fs::create_directories(root_);
    source_.Execute(kAllTypes);
  }
  void TearDown() override { fs::remove_all(root_); }

  CommitResult Write(const std::string& name, const std::string& query, CdmFolderOptions options = {}) {
    options.format = GetParam();
    CdmFolderWriter writer(source_, *DefaultFileSystem(), (root_ / "out").string(), options);
    writer.Add(OutputEntity{name, query, "", {}});
    return writer.Commit();
  }

  fs::path root_;
  engine::Database db_{engine::Settings{2, "1GB", "", {}}};
  engine::Connection source_{db_};
};

TEST_P(CdmFolderWriterTest, EveryTypeRoundTripsWithNamesTypesAndValues) {
  CommitResult result = Write("AllTypes", "SELECT * FROM source");
  ASSERT_EQ(result.entities.size(), 1u);
  EXPECT_EQ(result.entities[0].rows, 4);
  Catalog catalog = Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
  for (const auto& p : catalog.problems()) ADD_FAILURE() << p.file << ": " << p.message;
  const cdm::Entity* entity = catalog.Find("AllTypes");
  ASSERT_NE(entity, nullptr);
  EXPECT_EQ(entity->schema, "out");
  LakeSession session(db_, catalog, OnError::kFail);
  session.PrepareFor("SELECT * FROM AllTypes");
  // Same column names and types as the source.
  auto described = [&](const std::string& table) {
    return session.connection().Query("SELECT column_name, column_type FROM (DESCRIBE " + table + ")").FetchAllText();
  };
  EXPECT_EQ(described("AllTypes"), described("source"));
  // Same values, both ways (EXCEPT ALL keeps duplicates and compares NULLs as equal).
  for (const char* sql : {"SELECT * FROM source EXCEPT ALL SELECT * FROM AllTypes",
                          "SELECT * FROM AllTypes EXCEPT ALL SELECT * FROM source"}) {
    auto rows = session.connection().Query(sql).FetchAllText();
    EXPECT_TRUE(rows.empty()) << sql << ": " << rows.size() << " rows differ";
  }
  // Empty strings stay empty strings, NULLs stay NULL.
  auto text = session.connection().Query("SELECT count(*) FILTER (text = ''), count(*) FILTER (text IS NULL) FROM AllTypes").FetchAllText();
  EXPECT_EQ(*text[0][0], "1");
  EXPECT_EQ(*text[0][1], "1");
}

TEST_P(CdmFolderWriterTest, CommitsReplaceVersionsAndKeepOtherEntities) {
  CommitResult first = Write("Numbers", "SELECT range AS n FROM range(10)");
  EXPECT_EQ(first.version, 1);
  CommitResult other = Write("Letters", "SELECT 'a' AS l");
  EXPECT_EQ(other.version, 2);
  CommitResult second = Write("Numbers", "SELECT range AS n FROM range(20)");
  EXPECT_EQ(second.version, 3);
  EXPECT_FALSE(fs::exists(root_ / "out/Numbers/_v000001")) << "the previous version is removed after the commit";
  EXPECT_TRUE(fs::exists(root_ / "out/Letters/_v000002")) << "an entity not written is kept";
  Catalog catalog = Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
  LakeSession session(db_, catalog, OnError::kFail);
  session.PrepareFor("Numbers Letters");
  EXPECT_EQ(session.connection().Query("SELECT count(*) FROM Numbers").ScalarText(), "20");
  EXPECT_EQ(session.connection().Query("SELECT l FROM Letters").ScalarText(), "a");
}

TEST_P(CdmFolderWriterTest, LeftoversOfAKilledWriterAreCleanedByTheNextCommit) {
  Write("Numbers", "SELECT range AS n FROM range(10)");
  // What a writer killed before its manifest leaves behind.
  fs::create_directories(root_ / "out/Numbers/_v000002");
  std::ofstream(root_ / "out/Numbers/_v000002/numbers-0.csv") << "garbage\n";
  Catalog before = Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
  LakeSession session(db_, before, OnError::kFail);
  session.PrepareFor("Numbers");
  EXPECT_EQ(session.connection().Query("SELECT sum(n) FROM Numbers").ScalarText(), "45") << "still the old version";
  CommitResult next = Write("Numbers", "SELECT 7 AS n");
  EXPECT_EQ(next.version, 3);
  EXPECT_FALSE(fs::exists(root_ / "out/Numbers/_v000002"));
}

TEST_P(CdmFolderWriterTest, LargeResultsAreSplitIntoPartitions) {
  CdmFolderOptions options;
  options.max_file_bytes = 100000;
  // Parquet files are split at row groups (122880 rows).
  const int64_t rows = GetParam() == cdm::FileFormat::kParquet ? 400000 : 50000;
  CommitResult r = Write("Big", "SELECT range AS n, 'row ' || range AS t FROM range(" + std::to_string(rows) + ")", options);
  EXPECT_GT(r.entities[0].files.size(), 1u);
  Catalog catalog = Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
  LakeSession session(db_, catalog, OnError::kFail);
  session.PrepareFor("Big");
  EXPECT_EQ(session.connection().Query("SELECT count(*) || '/' || sum(n) FROM Big").ScalarText(),
            std::to_string(rows) + "/" + std::to_string(rows * (rows - 1) / 2));
}

TEST_P(CdmFolderWriterTest, PartitionedEntitiesGetAFolderPerValueAndNoExtraColumn) {
  CdmFolderOptions options;
  options.format = GetParam();
  CdmFolderWriter writer(source_, *DefaultFileSystem(), (root_ / "out").string(), options);
  OutputEntity entity{"Months", "SELECT range AS n, DATE '2024-01-20' + CAST(range AS INTEGER) AS d FROM range(100)", "", {}};
  entity.partition_by = "strftime(d, '%Y-%m')";
  writer.Add(entity);
  CommitResult r = writer.Commit();
  ASSERT_EQ(r.entities.size(), 1u);
  EXPECT_EQ(r.entities[0].rows, 100);
  const std::string ext = GetParam() == cdm::FileFormat::kParquet ? ".parquet" : ".csv";
  std::vector<std::string> expected;
  for (const char* m : {"2024-01", "2024-02", "2024-03", "2024-04"}) {
    expected.push_back("Months/_v000001/" + std::string(m) + "/months-0" + ext);
  }
  EXPECT_EQ(r.entities[0].files, expected);
  Catalog catalog = Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
  LakeSession session(db_, catalog, OnError::kFail);
  session.PrepareFor("Months");
  EXPECT_EQ(session.connection().Query("SELECT count(*) || '/' || sum(n) || '/' || count(DISTINCT d) FROM Months").ScalarText(),
            "100/4950/100");
  const cdm::Entity* found = catalog.Find("Months");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->attributes.size(), 2u) << "the partition value is a folder, not a column";
}

TEST_P(CdmFolderWriterTest, CarriedPartitionsAreLinkedNotRewritten) {
  CdmFolderOptions options;
  options.format = GetParam();
  auto write = [&](const std::string& query, std::vector<std::string> carried) {
    CdmFolderWriter writer(source_, *DefaultFileSystem(), (root_ / "out").string(), options);
    OutputEntity entity{"Parts", query, "", {}};
    entity.partition_by = "p";
    entity.carried_files = std::move(carried);
    writer.Add(entity);
    return writer.Commit();
  };
  CommitResult first = write("SELECT range AS n, 'p' || (range % 3) AS p FROM range(30)", {});
  ASSERT_EQ(first.entities[0].files.size(), 3u);
  if (GetParam() == cdm::FileFormat::kCsv) {
    EXPECT_THROW(write("SELECT 1 AS n, 'p0' AS p", {first.entities[0].files[1]}), Error) << "CSV files are not carried";
    return;
  }
  const fs::path kept = root_ / "out" / first.entities[0].files[1];  // p1
  const auto inode = [](const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? st.st_ino : ino_t{0};
  };
  const ino_t kept_inode = inode(kept);
  ASSERT_NE(kept_inode, ino_t{0});
  const auto links = [](const fs::path& p) { return fs::status(p).type() == fs::file_type::regular ? fs::hard_link_count(p) : 0u; };
  // p0 rewritten with other rows, p1 and p2 carried.
  CommitResult second = write("SELECT 100 + range AS n, 'p0' AS p FROM range(5)",
                              {first.entities[0].files[1], first.entities[0].files[2]});
  EXPECT_EQ(second.entities[0].rows, 25);
  EXPECT_EQ(second.entities[0].files,
            (std::vector<std::string>{"Parts/_v000002/p0/parts-0.parquet", "Parts/_v000002/p1/parts-0.parquet",
                                      "Parts/_v000002/p2/parts-0.parquet"}));
  EXPECT_FALSE(fs::exists(kept)) << "the previous version is removed";
  EXPECT_EQ(inode(root_ / "out/Parts/_v000002/p1/parts-0.parquet"), kept_inode) << "p1 is the same file, linked";
  EXPECT_EQ(links(root_ / "out/Parts/_v000002/p1/parts-0.parquet"), 1u) << "its old name went with its version";
  Catalog catalog = Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
  LakeSession session(db_, catalog, OnError::kFail);
  session.PrepareFor("Parts");
  EXPECT_EQ(session.connection().Query("SELECT count(*) || '/' || sum(n) FROM Parts").ScalarText(),
            "25/" + std::to_string(510 + (1 + 4 + 7 + 10 + 13 + 16 + 19 + 22 + 25 + 28) + (2 + 5 + 8 + 11 + 14 + 17 + 20 + 23 + 26 + 29)));
  // A carried partition that the query also writes, and a path outside the entity, are refused; nothing is committed.
  EXPECT_THROW(write("SELECT 1 AS n, 'p1' AS p", {second.entities[0].files[1]}), Error);
  EXPECT_THROW(write("SELECT 1 AS n, 'p0' AS p", {"Other/_v000001/p1/parts-0.parquet"}), Error);
  EXPECT_THROW(write("SELECT 1 AS n, 'p0' AS p", {"Parts/_v000002/../../x/parts-0.parquet"}), Error);
  EXPECT_THROW(write("SELECT 1 AS n, '../up' AS p", {}), Error) << "a value that is not a plain folder name";
  Catalog after = Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
  LakeSession again(db_, after, OnError::kFail);
  again.PrepareFor("Parts");
  EXPECT_EQ(again.connection().Query("SELECT count(*) FROM Parts").ScalarText(), "25") << "still the second version";
}

TEST_P(CdmFolderWriterTest, BadQueriesAndNamesWriteNothing) {
  EXPECT_THROW(Write("Broken", "SELECT * FROM no_such_table"), Error);
  EXPECT_THROW(Write("../escape", "SELECT 1"), Error);
  EXPECT_FALSE(fs::exists(root_ / "out/default.manifest.cdm.json"));
}

INSTANTIATE_TEST_SUITE_P(Formats, CdmFolderWriterTest, ::testing::Values(cdm::FileFormat::kCsv, cdm::FileFormat::kParquet),
                         [](const auto& param_info) { return param_info.param == cdm::FileFormat::kCsv ? "Csv" : "Parquet"; });

}  // namespace
}  // namespace cdmlake::lake
