// Helpers shared by the entitystore unit tests (tests only; header-only so that it is not part of the library):
// text assertions, builders of small metadata packages in C++, the SQL golden files under testdata/<folder>/,
// and a fixture with a fresh temporary folder per test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/database.h"
#include "entitystore/metadata.h"
#include "util/golden_test_util.h"
#include "util/strings.h"

namespace cdmlake::entitystore::testing {

// ---- text assertions ---------------------------------------------------------------------------------------

// `text` contains `part`; on failure the message shows both.
inline ::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\n  " << text << "\ndoes not contain\n  " << part;
}

inline ::testing::AssertionResult NotContains(const std::string& text, const std::string& part) {
  if (text.find(part) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\n  " << text << "\ncontains\n  " << part;
}

// ---- package builders --------------------------------------------------------------------------------------

// An attribute without a NameField.
inline Attribute Attr(const std::string& name, std::vector<std::string> keys, bool is_key = false) {
  Attribute attribute;
  attribute.name = name;
  attribute.key_fields = std::move(keys);
  attribute.is_key = is_key;
  return attribute;
}

inline Attribute Attr(const std::string& name, const std::string& name_field, std::vector<std::string> keys,
                      bool is_key = false) {
  Attribute attribute = Attr(name, std::move(keys), is_key);
  attribute.name_field = name_field;
  return attribute;
}

inline Measure Meas(std::optional<std::string> name, std::optional<std::string> field,
                    Aggregate aggregate = Aggregate::kSum) {
  Measure measure;
  measure.name = std::move(name);
  measure.field = std::move(field);
  measure.aggregate = aggregate;
  return measure;
}

// A relation constraint: its Name, the fact-side RelatedField and the dimension-side Field.
inline RelationConstraint Con(const std::string& name, const std::string& related_field, const std::string& field) {
  return {name, related_field, field};
}

// A reference with one relation made of `constraints` (none: a relation without constraints).
inline DimensionReference Ref(const std::string& name, const std::string& dimension,
                              std::vector<RelationConstraint> constraints) {
  DimensionReference reference;
  reference.name = name;
  reference.dimension_name = dimension;
  DimensionRelation relation;
  relation.constraints = std::move(constraints);
  reference.relations.push_back(std::move(relation));
  return reference;
}

// A reference with one relation of one constraint named after its RelatedField.
inline DimensionReference Ref(const std::string& name, const std::string& dimension, const std::string& related_field,
                              const std::string& field) {
  return Ref(name, dimension, {Con(related_field, related_field, field)});
}

// One relation per entry of `relations`; each relation is a list of (RelatedField, constraint Name), and each
// constraint's Field is its Name.
inline DimensionReference RefRelations(const std::string& name, const std::string& dimension,
                                       std::vector<std::vector<std::pair<std::string, std::string>>> relations) {
  DimensionReference reference;
  reference.name = name;
  reference.dimension_name = dimension;
  for (const auto& constraints : relations) {
    DimensionRelation relation;
    for (const auto& [related, constraint_name] : constraints) {
      relation.constraints.push_back({constraint_name, related, constraint_name});
    }
    reference.relations.push_back(std::move(relation));
  }
  return reference;
}

inline MeasureGroup Group(const std::string& name, const std::string& table) {
  MeasureGroup group;
  group.name = name;
  group.table = table;
  group.source.file = "measurement.json";
  return group;
}

inline MetadataPackage Package(const std::string& measurement) {
  MetadataPackage package;
  package.origin = measurement + ".zip";
  package.measurement.name = measurement;
  return package;
}

inline View& AddView(MetadataPackage* package, const std::string& name, const std::vector<std::string>& fields) {
  View& view = package->views[ToUpper(name)];
  view.name = name;
  for (const std::string& field : fields) view.fields.push_back({field, "T", field, ""});
  return view;
}

// A table whose SaveDataPerCompany is absent (per company) or present (`shared`).
inline void AddTable(MetadataPackage* package, const std::string& name, bool shared) {
  Table& table = package->tables[ToUpper(name)];
  table.name = name;
  table.save_data_per_company = !shared;
  table.save_data_per_company_set = shared;
}

inline void AddDimension(MetadataPackage* package, const std::string& name, const std::string& table,
                         std::vector<Attribute> attributes) {
  Dimension& dimension = package->dimensions[ToUpper(name)];
  dimension.name = name;
  dimension.table = table;
  dimension.attributes = std::move(attributes);
  dimension.source.file = "dimensions\\" + ToUpper(name) + ".json";
}

inline void AddEnum(MetadataPackage* package, const std::string& table, const std::string& field,
                    std::vector<std::pair<std::string, int64_t>> values) {
  EnumTranslation& translation = package->enums[ToUpper(table) + "_" + ToUpper(field)];
  translation.table = ToUpper(table);
  translation.field = ToUpper(field);
  translation.enum_name = ToUpper(field) + "ENUM";
  for (const auto& [symbol, value] : values) translation.values.push_back({symbol, value, ""});
}

// ---- golden files -----------------------------------------------------------------------------------------

// Compares `actual` with src/entitystore/testdata/<folder>/<name>.sql (CDMLAKE_UPDATE_GOLDEN=1 rewrites it).
inline void ExpectGolden(const std::string& folder, const std::string& name, const std::string& actual) {
  golden::ExpectMatchesFile(std::filesystem::path(__FILE__).parent_path() / "testdata" / folder / (name + ".sql"),
                            actual);
}

// ---- temporary folder --------------------------------------------------------------------------------------

// A fixture whose dir_ is a fresh <temp>/cdmlake_<prefix>_test_<pid>_<test name>, removed after the test.
class TempDirTest : public ::testing::Test {
 protected:
  explicit TempDirTest(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cdmlake_" + prefix_ + "_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;

 private:
  std::string prefix_;
};

// The rows of a query as text, sorted, one line per row with '|' after each cell: tables compare as sets of rows.
inline std::string SortedRows(engine::Connection& con, const std::string& sql) {
  std::string out;
  for (const auto& row : con.Query("SELECT * FROM (" + sql + ") ORDER BY ALL").FetchAllText()) {
    for (const auto& cell : row) out += (cell ? *cell : "NULL") + "|";
    out += "\n";
  }
  return out;
}

}  // namespace cdmlake::entitystore::testing
