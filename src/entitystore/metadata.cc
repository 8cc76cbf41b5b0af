#include "entitystore/metadata.h"

#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

constexpr const char* kAggregateNames[] = {"Sum", "Count", "DistinctCount", "AverageOfChildren", "Min", "Max"};

template <typename T>
const T* FindUpper(const std::map<std::string, T>& map, const std::string& name) {
  auto it = map.find(ToUpper(name));
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

const char* AggregateName(Aggregate aggregate) { return kAggregateNames[static_cast<int>(aggregate)]; }

bool ParseAggregate(const std::string& text, Aggregate* out) {
  for (int i = 0; i < 6; ++i) {
    if (EqualsIgnoreCase(text, kAggregateNames[i])) {
      *out = static_cast<Aggregate>(i);
      return true;
    }
  }
  return false;
}

const Dimension* MetadataPackage::FindDimension(const std::string& name) const { return FindUpper(dimensions, name); }
const View* MetadataPackage::FindView(const std::string& name) const { return FindUpper(views, name); }
const Query* MetadataPackage::FindQuery(const std::string& name) const { return FindUpper(queries, name); }
const Table* MetadataPackage::FindTable(const std::string& name) const { return FindUpper(tables, name); }
const EnumTranslation* MetadataPackage::FindEnum(const std::string& table, const std::string& field) const {
  return FindUpper(enums, table + "_" + field);
}

}  // namespace cdmlake::entitystore
