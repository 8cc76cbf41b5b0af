#include "lake/cdm_types.h"

namespace cdmlake::lake {

namespace {

bool IsNested(duckdb_type id) {
  return id == DUCKDB_TYPE_LIST || id == DUCKDB_TYPE_STRUCT || id == DUCKDB_TYPE_MAP || id == DUCKDB_TYPE_ARRAY ||
         id == DUCKDB_TYPE_UNION;
}

}  // namespace

cdm::Attribute AttributeForColumn(const std::string& name, duckdb_logical_type type) {
  cdm::Attribute a;
  a.name = name;
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN: a.format = cdm::DataFormat::kBoolean; break;
    case DUCKDB_TYPE_TINYINT: case DUCKDB_TYPE_SMALLINT: a.format = cdm::DataFormat::kInt16; break;
    case DUCKDB_TYPE_UTINYINT: a.format = cdm::DataFormat::kByte; break;
    case DUCKDB_TYPE_USMALLINT: case DUCKDB_TYPE_INTEGER: a.format = cdm::DataFormat::kInt32; break;
    case DUCKDB_TYPE_UINTEGER: case DUCKDB_TYPE_BIGINT: a.format = cdm::DataFormat::kInt64; break;
    case DUCKDB_TYPE_UBIGINT: case DUCKDB_TYPE_HUGEINT: case DUCKDB_TYPE_UHUGEINT:
      a.format = cdm::DataFormat::kDecimal;
      a.precision = 38;
      a.scale = 0;
      break;
    case DUCKDB_TYPE_FLOAT: a.format = cdm::DataFormat::kFloat; break;
    case DUCKDB_TYPE_DOUBLE: a.format = cdm::DataFormat::kDouble; break;
    case DUCKDB_TYPE_DECIMAL:
      a.format = cdm::DataFormat::kDecimal;
      a.precision = duckdb_decimal_width(type);
      a.scale = duckdb_decimal_scale(type);
      break;
    case DUCKDB_TYPE_UUID: a.format = cdm::DataFormat::kGuid; break;
    case DUCKDB_TYPE_DATE: a.format = cdm::DataFormat::kDate; break;
    case DUCKDB_TYPE_TIME: a.format = cdm::DataFormat::kTime; break;
    case DUCKDB_TYPE_TIMESTAMP: case DUCKDB_TYPE_TIMESTAMP_S: case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS:
      a.format = cdm::DataFormat::kDateTime;
      break;
    case DUCKDB_TYPE_TIMESTAMP_TZ: a.format = cdm::DataFormat::kDateTimeOffset; break;
    case DUCKDB_TYPE_BLOB: a.format = cdm::DataFormat::kBinary; break;
    case DUCKDB_TYPE_VARCHAR: {
      char* alias = duckdb_logical_type_get_alias(type);
      bool json = alias && std::string(alias) == "JSON";
      duckdb_free(alias);
      a.format = json ? cdm::DataFormat::kJson : cdm::DataFormat::kString;
      break;
    }
    default:
      a.format = IsNested(duckdb_get_type_id(type)) ? cdm::DataFormat::kJson : cdm::DataFormat::kString;
      break;
  }
  a.declared_type = cdm::DataFormatName(a.format);
  return a;
}

std::string ColumnForWriting(const std::string& quoted_column, duckdb_logical_type type) {
  duckdb_type id = duckdb_get_type_id(type);
  if (IsNested(id)) return "to_json(" + quoted_column + ")";
  switch (id) {
    case DUCKDB_TYPE_UBIGINT: case DUCKDB_TYPE_HUGEINT: case DUCKDB_TYPE_UHUGEINT:
      return "CAST(" + quoted_column + " AS DECIMAL(38,0))";
    case DUCKDB_TYPE_TIMESTAMP_S: case DUCKDB_TYPE_TIMESTAMP_MS: case DUCKDB_TYPE_TIMESTAMP_NS:
      return "CAST(" + quoted_column + " AS TIMESTAMP)";
    case DUCKDB_TYPE_ENUM: case DUCKDB_TYPE_INTERVAL: case DUCKDB_TYPE_BIT: case DUCKDB_TYPE_TIME_TZ:
      return "CAST(" + quoted_column + " AS VARCHAR)";
    default:
      return quoted_column;
  }
}

}  // namespace cdmlake::lake
