#include "lake/refresh_source.h"

#include "engine/quote.h"
#include "util/strings.h"

namespace cdmlake::lake {

using engine::QuoteIdentifier;

std::string RefreshTemp(const std::string& name) { return "temp.main." + QuoteIdentifier(kRefreshTempPrefix + name); }

const cdm::Attribute* FindAttribute(const cdm::Entity& entity, std::string_view name) {
  int i = FindAttributeIndex(entity.attributes, name);
  return i < 0 ? nullptr : &entity.attributes[static_cast<size_t>(i)];
}

int FindAttributeIndex(const std::vector<cdm::Attribute>& attributes, std::string_view name) {
  for (size_t i = 0; i < attributes.size(); ++i) {
    if (EqualsIgnoreCase(attributes[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

std::string ColumnValueSql(const cdm::Entity& entity, const cdm::Attribute& attribute, const std::string& source) {
  if (entity.d365_empty_dates) {
    const char* sentinel = nullptr;
    switch (attribute.format) {
      case cdm::DataFormat::kDate: sentinel = "DATE '1900-01-01'"; break;
      case cdm::DataFormat::kDateTime: sentinel = "TIMESTAMP '1900-01-01 00:00:00'"; break;
      case cdm::DataFormat::kDateTimeOffset: sentinel = "TIMESTAMPTZ '1900-01-01 00:00:00+00'"; break;
      default: break;
    }
    if (sentinel) return "CASE WHEN " + source + " = " + sentinel + " THEN NULL ELSE " + source + " END";
  }
  return source;
}

std::string ColumnList(const cdm::Entity& entity, const std::string& prefix) {
  std::string out;
  for (const cdm::Attribute& a : entity.attributes) out += (out.empty() ? "" : ", ") + prefix + QuoteIdentifier(a.name);
  return out;
}

std::string TypedColumnList(const cdm::Entity& entity, const std::string& prefix) {
  std::string out;
  for (const cdm::Attribute& a : entity.attributes) {
    out += (out.empty() ? "" : ", ") + std::string("CAST(") + prefix + QuoteIdentifier(a.name) + " AS " + a.SqlType() +
           ") AS " + QuoteIdentifier(a.name);
  }
  return out;
}

std::vector<std::optional<std::string>> FirstRow(engine::Connection& connection, const std::string& sql) {
  auto rows = connection.Query(sql).FetchAllText();
  if (rows.empty()) return {};
  return rows.front();
}

int64_t QueryInt(engine::Connection& connection, const std::string& sql) {
  auto row = FirstRow(connection, sql);
  int64_t value = 0;
  if (!row.empty() && row[0]) ParseInt64(*row[0], &value);
  return value;
}

}  // namespace cdmlake::lake
