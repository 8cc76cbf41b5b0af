// The fixture of the unification semantics tests (unify_run_test.cc, unify_semantics_test.cc): small CSV sources
// written into a temporary folder, a configuration, and helpers that show profiles as sets of "Source:Key".
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "engine/database.h"
#include "unify/config_loader.h"
#include "unify/unify_run.h"

namespace cdmlake::unify {

class UnifyRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cdmlake_unify_run_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  UnifyResult Run(const std::string& yaml, std::span<const PreviousKey> previous = {}) {
    Write("unify.yaml", yaml);
    config_ = LoadUnifyConfig((dir_ / "unify.yaml").string());
    return RunUnification(config_, database_, nullptr, previous, nullptr);
  }

  // Profiles as sets of "Source:Key", sorted, for comparisons that do not depend on ids.
  static std::set<std::set<std::string>> Profiles(const UnifyResult& run) {
    std::vector<std::set<std::string>> profiles(run.match.profiles.size());
    for (size_t s = 0; s < run.tables.size(); ++s) {
      for (uint32_t r = 0; r < run.tables[s].size(); ++r) {
        int32_t p = run.ProfileOf(s, r);
        if (p >= 0) profiles[p].insert(run.tables[s].name + ":" + std::string(run.tables[s].Key(r)));
      }
    }
    return {profiles.begin(), profiles.end()};
  }

  static std::map<std::string, std::string> IdsByRecord(const UnifyResult& run) {
    std::map<std::string, std::string> ids;
    for (size_t s = 0; s < run.tables.size(); ++s) {
      for (uint32_t r = 0; r < run.tables[s].size(); ++r) {
        int32_t p = run.ProfileOf(s, r);
        if (p >= 0) ids[run.tables[s].name + ":" + std::string(run.tables[s].Key(r))] = run.customer_ids[p];
      }
    }
    return ids;
  }

  static std::vector<PreviousKey> Previous(const UnifyResult& run) {
    std::vector<PreviousKey> keys;
    for (const auto& [record, id] : IdsByRecord(run)) {
      size_t colon = record.find(':');
      keys.push_back({record.substr(0, colon), record.substr(colon + 1), id});
    }
    return keys;
  }

  std::filesystem::path dir_;
  UnifyConfig config_;
  engine::Database database_{engine::Settings{1, "256MB", "", {}}};
};

}  // namespace cdmlake::unify
