// Helpers for the refresh unit tests: a lake in a temporary folder, refreshing it, reading a table through a
// session, and snapshots of the refresh state files to check that a failed refresh changed nothing.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "lake/catalog.h"
#include "lake/refresh.h"
#include "lake/session.h"

namespace cdmlake::lake::testing {

class RefreshTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("cdmlake_refresh_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string Root() const { return root_.string(); }
  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary | std::ios::trunc) << text;
  }
  void Append(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel, std::ios::binary | std::ios::app) << text;
  }
  void Remove(const std::string& rel) { std::filesystem::remove_all(root_ / rel); }
  std::string Read(const std::string& rel) const {
    std::ifstream in(root_ / rel, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // Refreshes with a fresh catalog (as a new command would), through fs when given.
  std::vector<TableRefreshResult> Refresh(RefreshOptions options = {}, FileSystem* fs = nullptr) {
    Catalog catalog = Catalog::Open(fs ? *fs : *DefaultFileSystem(), Root(), {false, false});
    engine::Connection connection(db_);
    return RefreshLake(connection, catalog, options);
  }
  // Refreshes and expects exactly one table, which did not fail.
  TableRefreshResult RefreshOne(RefreshOptions options = {}) {
    auto results = Refresh(options);
    EXPECT_EQ(results.size(), 1u);
    if (results.empty()) return {};
    if (results[0].error) ADD_FAILURE() << results[0].error->what();
    return results[0];
  }
  // Refreshes and returns the error of the one table (fails the test when it succeeded).
  Error RefreshError(RefreshOptions options = {}) {
    auto results = Refresh(options);
    EXPECT_EQ(results.size(), 1u);
    if (results.empty() || !results[0].error) {
      ADD_FAILURE() << "the refresh did not fail";
      return Error(ErrorKind::kInternal, "no error");
    }
    return *results[0].error;
  }

  // A query through a new session, every cell as text ("NULL" for NULL), rows joined by '\n' and cells by '|'.
  std::string Query(const std::string& sql) {
    Catalog catalog = Catalog::Open(*DefaultFileSystem(), Root(), {false, false});
    LakeSession session(db_, catalog, OnError::kFail);
    session.PrepareFor(sql);
    std::string out;
    for (const auto& row : session.connection().Query(sql).FetchAllText()) {
      for (size_t i = 0; i < row.size(); ++i) out += (i > 0 ? "|" : "") + row[i].value_or("NULL");
      out += "\n";
    }
    return out;
  }

  // Every file below _cdmlake/refresh with its bytes.
  std::map<std::string, std::string> StateFiles() const {
    std::map<std::string, std::string> out;
    std::filesystem::path dir = root_ / "_cdmlake/refresh";
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      const std::string relative = std::filesystem::relative(e.path(), root_).string();
      out[relative] = Read(relative);
    }
    return out;
  }

  std::filesystem::path root_;
  engine::Database db_{engine::Settings{2, "512MB", "", {}}};
};

}  // namespace cdmlake::lake::testing
