// CdmFolderWriter with entities whose rows cdmlake makes (AddRows), alone and beside query entities.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <stdexcept>

#include "lake/catalog.h"
#include "lake/cdm_folder_writer.h"
#include "lake/session.h"
#include "util/error.h"

namespace cdmlake::lake {
namespace {

namespace fs = std::filesystem;

class FunctionRows : public RowSource {
 public:
  FunctionRows(size_t size, std::function<void(size_t, RowCells*)> make) : size_(size), make_(std::move(make)) {}
  size_t size() const override { return size_; }
  void Row(size_t row, RowCells* cells) override { make_(row, cells); }

 private:
  size_t size_;
  std::function<void(size_t, RowCells*)> make_;
};

cdm::Attribute Column(const std::string& name, cdm::DataFormat format = cdm::DataFormat::kString) {
  cdm::Attribute a;
  a.name = name;
  a.format = format;
  return a;
}

// Name (String), Score (Double), N (Int64): row i has N = i; rows 0..3 hold the tricky texts.
RowEntity People(size_t rows, std::function<void(size_t)> before_row = {}) {
  auto make = [before_row](size_t row, RowCells* cells) {
    if (before_row) before_row(row);
    static const char* const kNames[] = {"plain", "", "multi\nline, \"quoted\" ü", "#hash"};
    if (row == 4) {
      cells->SetNull(0);
    } else {
      cells->Set(0, std::string_view(row < 4 ? kNames[row] : "person"));
    }
    if (row % 2 == 0) cells->SetCopy(1, row == 0 ? "1.0" : "0.85");
    cells->SetCopy(2, std::to_string(row));
  };
  return RowEntity{"People",
                   {Column("Name"), Column("Score", cdm::DataFormat::kDouble), Column("N", cdm::DataFormat::kInt64)},
                   std::make_unique<FunctionRows>(rows, make),
                   "people made in memory"};
}

// Other: one column A, five rows of "a" (or what `make` writes).
RowEntity Other(std::function<void(size_t, RowCells*)> make = [](size_t, RowCells* c) {
  c->Set(0, std::string_view("a"));
}) {
  return RowEntity{"Other", {Column("A")}, std::make_unique<FunctionRows>(5, std::move(make)), ""};
}

class CdmFolderWriterRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_writer_rows_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  CdmFolderWriter Writer(CdmFolderOptions options = {}) {
    return CdmFolderWriter(connection_, *DefaultFileSystem(), (root_ / "out").string(), options);
  }
  std::string Scalar(const std::string& entities, const std::string& sql) {
    Catalog catalog = Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
    for (const auto& p : catalog.problems()) ADD_FAILURE() << p.file << ": " << p.message;
    LakeSession session(db_, catalog, OnError::kFail);
    session.PrepareFor(entities);
    return session.connection().Query(sql).ScalarText();
  }

  fs::path root_;
  engine::Database db_{engine::Settings{2, "1GB", "", {}}};
  engine::Connection connection_{db_};
};

TEST_F(CdmFolderWriterRowsTest, RowAndQueryEntitiesCommitTogether) {
  CdmFolderOptions options;
  options.threads = 2;
  CdmFolderWriter writer = Writer(options);
  writer.AddRows(People(1000));
  writer.Add(OutputEntity{"Numbers", "SELECT range AS n FROM range(10)", "", {}});
  writer.AddRows(RowEntity{"Empty", {Column("A"), Column("B")}, std::make_unique<FunctionRows>(0, nullptr), ""});
  CommitResult result = writer.Commit();
  ASSERT_EQ(result.entities.size(), 3u);
  EXPECT_EQ(result.entities[0].name, "People") << "in the order added";
  EXPECT_EQ(result.entities[0].rows, 1000);
  EXPECT_EQ(result.entities[0].files, std::vector<std::string>{"People/_v000001/people-0.csv"});
  EXPECT_EQ(result.entities[1].rows, 10);
  EXPECT_EQ(result.entities[2].rows, 0);
  EXPECT_EQ(result.entities[2].files, std::vector<std::string>{"Empty/_v000001/empty-0.csv"}) << "the header alone";

  const std::string all = "People Numbers Empty";
  EXPECT_EQ(Scalar(all, "SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE People)"),
            "Name VARCHAR, Score DOUBLE, N BIGINT");
  EXPECT_EQ(Scalar(all, "SELECT count(*) || '/' || sum(N) || '/' || round(sum(Score), 2) FROM People"), "1000/499500/425.15");
  EXPECT_EQ(Scalar(all, "SELECT count(*) FILTER (Name = '') || '/' || count(*) FILTER (Name IS NULL) FROM People"),
            "1/1") << "the empty string and NULL stay apart";
  EXPECT_EQ(Scalar(all, "SELECT Name FROM People WHERE N = 2"), "multi\nline, \"quoted\" ü");
  EXPECT_EQ(Scalar(all, "SELECT Name FROM People WHERE N = 3"), "#hash");
  EXPECT_EQ(Scalar(all, "SELECT sum(n) FROM Numbers"), "45");
  EXPECT_EQ(Scalar(all, "SELECT count(*) FROM Empty"), "0");
}

TEST_F(CdmFolderWriterRowsTest, RowEntitiesAreSplitAtMaxFileBytes) {
  CdmFolderOptions options;
  options.max_file_bytes = 100000;
  CdmFolderWriter writer = Writer(options);
  writer.AddRows(People(50000));
  CommitResult result = writer.Commit();
  ASSERT_GT(result.entities[0].files.size(), 1u);
  for (const std::string& f : result.entities[0].files) {
    EXPECT_LE(fs::file_size(root_ / "out" / f), options.max_file_bytes + 100) << f << ": over by more than a row";
  }
  EXPECT_EQ(Scalar("People", "SELECT count(*) || '/' || sum(N) FROM People"), "50000/1249975000");
}

TEST_F(CdmFolderWriterRowsTest, AFailingProducerLeavesThePreviousVersionIntact) {
  {
    CdmFolderWriter writer = Writer();
    writer.AddRows(People(100));
    writer.Add(OutputEntity{"Numbers", "SELECT range AS n FROM range(10)", "", {}});
    writer.Commit();
  }
  const std::string manifest = DefaultFileSystem()->ReadFile((root_ / "out/default.manifest.cdm.json").string());
  CdmFolderOptions options;
  options.threads = 2;
  CdmFolderWriter writer = Writer(options);
  writer.AddRows(People(200000, [](size_t row) {
    if (row == 150000) throw std::runtime_error("the producer broke");
  }));
  writer.Add(OutputEntity{"Numbers", "SELECT range AS n FROM range(20)", "", {}});
  writer.AddRows(Other());
  try {
    writer.Commit();
    FAIL() << "the commit succeeded";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("People"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("the producer broke"), std::string::npos) << e.message();
  }
  EXPECT_EQ(DefaultFileSystem()->ReadFile((root_ / "out/default.manifest.cdm.json").string()), manifest);
  for (const char* folder : {"People/_v000002", "Numbers/_v000002", "Other/_v000002"}) {
    EXPECT_FALSE(fs::exists(root_ / "out" / folder)) << folder << " is left behind";
  }
  EXPECT_EQ(Scalar("People Numbers", "SELECT (SELECT count(*) FROM People) || '/' || (SELECT sum(n) FROM Numbers)"),
            "100/45");
}

// WriteAhead: the row entities added so far are written on a thread of their own before Commit, which writes the
// rest and commits all of them as one version, in the order added.
TEST_F(CdmFolderWriterRowsTest, WrittenAheadEntitiesCommitWithTheRest) {
  CdmFolderWriter writer = Writer();
  writer.AddRows(People(30000));
  writer.WriteAhead();
  writer.Add(OutputEntity{"Numbers", "SELECT range AS n FROM range(10)", "", {}});
  writer.AddRows(Other());
  CommitResult result = writer.Commit();
  ASSERT_EQ(result.entities.size(), 3u);
  EXPECT_EQ(result.entities[0].name, "People");
  EXPECT_EQ(result.entities[0].rows, 30000);
  EXPECT_EQ(result.entities[0].files, std::vector<std::string>{"People/_v000001/people-0.csv"});
  EXPECT_EQ(result.entities[2].name, "Other");
  EXPECT_EQ(Scalar("People Numbers Other", "SELECT (SELECT count(*) || '/' || sum(N) FROM People) || '/' || "
                                           "(SELECT sum(n) FROM Numbers) || '/' || (SELECT count(*) FROM Other)"),
            "30000/449985000/45/5");
}

TEST_F(CdmFolderWriterRowsTest, AWriterDroppedAfterWriteAheadLeavesNothing) {
  {
    CdmFolderWriter writer = Writer();
    writer.AddRows(People(100));
    writer.Commit();
  }
  const std::string manifest = DefaultFileSystem()->ReadFile((root_ / "out/default.manifest.cdm.json").string());
  {
    CdmFolderWriter writer = Writer();
    writer.AddRows(People(200000));
    writer.WriteAhead();
  }  // the run that would have committed failed: the write-ahead is stopped and its folder removed
  EXPECT_FALSE(fs::exists(root_ / "out/People/_v000002"));
  EXPECT_EQ(DefaultFileSystem()->ReadFile((root_ / "out/default.manifest.cdm.json").string()), manifest);
  EXPECT_EQ(Scalar("People", "SELECT count(*) FROM People"), "100");
}

TEST_F(CdmFolderWriterRowsTest, AFailingWriteAheadFailsTheCommitAndAFailingCommitStopsTheWriteAhead) {
  {
    CdmFolderWriter writer = Writer();
    writer.AddRows(People(100));
    writer.Commit();
  }
  const std::string manifest = DefaultFileSystem()->ReadFile((root_ / "out/default.manifest.cdm.json").string());
  auto expect_untouched = [&] {
    EXPECT_EQ(DefaultFileSystem()->ReadFile((root_ / "out/default.manifest.cdm.json").string()), manifest);
    for (const char* folder : {"People/_v000002", "Other/_v000002"}) {
      EXPECT_FALSE(fs::exists(root_ / "out" / folder)) << folder << " is left behind";
    }
  };
  {
    // The entity written ahead breaks: Commit reports it.
    CdmFolderWriter writer = Writer();
    writer.AddRows(People(50000, [](size_t row) {
      if (row == 40000) throw std::runtime_error("the producer broke");
    }));
    writer.WriteAhead();
    writer.AddRows(Other());
    try {
      writer.Commit();
      ADD_FAILURE() << "the commit succeeded";
    } catch (const Error& e) {
      EXPECT_NE(e.message().find("People"), std::string::npos) << e.message();
      EXPECT_NE(e.message().find("the producer broke"), std::string::npos) << e.message();
    }
    expect_untouched();
  }
  {
    // An entity of the commit breaks while the one written ahead is still being written: both are gone.
    CdmFolderWriter writer = Writer();
    writer.AddRows(People(2000000));
    writer.WriteAhead();
    writer.AddRows(Other([](size_t, RowCells*) { throw std::runtime_error("other broke"); }));
    try {
      writer.Commit();
      ADD_FAILURE() << "the commit succeeded";
    } catch (const Error& e) {
      EXPECT_NE(e.message().find("other broke"), std::string::npos) << e.message();
    }
    expect_untouched();
  }
  EXPECT_EQ(Scalar("People", "SELECT count(*) FROM People"), "100");
}

TEST_F(CdmFolderWriterRowsTest, ParquetFoldersRefuseRowEntities) {
  CdmFolderOptions options;
  options.format = cdm::FileFormat::kParquet;
  CdmFolderWriter writer = Writer(options);
  try {
    writer.AddRows(People(1));
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
  }
}

}  // namespace
}  // namespace cdmlake::lake
