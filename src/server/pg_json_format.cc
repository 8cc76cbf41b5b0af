// The JSON rendering of STRUCT, MAP and UNION values (reported as json), as PostgreSQL's to_json would write the
// equivalent row: compact, strings escaped like escape_json, timestamps in ISO 8601 with 'T', NaN and infinities
// quoted.
#include <cstdio>

#include "server/pg_format_internal.h"

namespace cdmlake::server::internal {
namespace {

// escape_json.
void AppendJsonString(std::string* out, std::string_view text) {
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof(escape), "\\u%04x", static_cast<unsigned>(c));
          out->append(escape);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// A timestamp as PostgreSQL's to_json writes it (ISO 8601 with 'T'; XSD offsets).
void AppendJsonTimestamp(std::string* out, int64_t micros, const FormatContext* zone_context) {
  if (micros == INT64_MAX || micros == INT64_MIN) {
    out->append(micros == INT64_MAX ? "\"infinity\"" : "\"-infinity\"");
    return;
  }
  int32_t offset = zone_context == nullptr ? 0 : zone_context->UtcOffset(micros);
  int64_t local = micros + int64_t{offset} * 1000000;
  out->push_back('"');
  bool bc = AppendCivilDate(out, FloorDiv(local, kMicrosPerDay));
  out->push_back('T');
  AppendTimeOfDay(out, local - FloorDiv(local, kMicrosPerDay) * kMicrosPerDay);
  if (zone_context != nullptr) AppendOffset(out, offset, true);
  if (bc) out->append(" BC");
  out->push_back('"');
}

void AppendJsonObjectKey(std::string* out, const ValueType& type, const FormatContext& context,
                         duckdb_vector vector, idx_t row) {
  if (type.kind == Kind::kVarchar) {
    AppendJsonString(out, GetString(vector, row));
    return;
  }
  std::string text;
  if (IsValid(vector, row)) AppendText(type, context, vector, row, &text);
  AppendJsonString(out, text);
}

void AppendJsonList(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                    std::string* out) {
  ListRange range = GetListRange(type, vector, row);
  out->push_back('[');
  for (idx_t i = 0; i < range.length; ++i) {
    if (i > 0) out->push_back(',');
    AppendJson(type.children.front(), context, range.child, range.offset + i, out);
  }
  out->push_back(']');
}

void AppendJsonStruct(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                      std::string* out) {
  out->push_back('{');
  for (size_t i = 0; i < type.children.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(out, type.names[i]);
    out->push_back(':');
    AppendJson(type.children[i], context, duckdb_struct_vector_get_child(vector, i), row, out);
  }
  out->push_back('}');
}

void AppendJsonMap(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                   std::string* out) {
  auto entry = Get<duckdb_list_entry>(vector, row);
  duckdb_vector entries = duckdb_list_vector_get_child(vector);
  duckdb_vector keys = duckdb_struct_vector_get_child(entries, 0);
  duckdb_vector values = duckdb_struct_vector_get_child(entries, 1);
  out->push_back('{');
  for (idx_t i = 0; i < entry.length; ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonObjectKey(out, type.children[0], context, keys, entry.offset + i);
    out->push_back(':');
    AppendJson(type.children[1], context, values, entry.offset + i, out);
  }
  out->push_back('}');
}

// A UNION is a struct whose first child is the tag; its JSON is the value of the selected member.
void AppendJsonUnion(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                     std::string* out) {
  uint8_t tag = Get<uint8_t>(duckdb_struct_vector_get_child(vector, 0), row);
  if (tag >= type.children.size()) {
    out->append("null");
    return;
  }
  AppendJson(type.children[tag], context, duckdb_struct_vector_get_child(vector, idx_t{tag} + 1), row, out);
}

void AppendJsonScalar(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                      std::string* out) {
  std::string text;
  AppendText(type, context, vector, row, &text);
  switch (type.kind) {
    case Kind::kBool:
      out->append(text == "t" ? "true" : "false");
      return;
    case Kind::kFloat:
    case Kind::kDouble:
      // JSON has no NaN or Infinity: PostgreSQL quotes them.
      if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
        AppendJsonString(out, text);
      } else {
        out->append(text);
      }
      return;
    case Kind::kInt8: case Kind::kInt16: case Kind::kInt32: case Kind::kInt64: case Kind::kUInt8:
    case Kind::kUInt16: case Kind::kUInt32: case Kind::kUInt64: case Kind::kHugeint: case Kind::kUHugeint:
    case Kind::kDecimal: case Kind::kBignum:
      out->append(text);
      return;
    default:
      AppendJsonString(out, text);
      return;
  }
}

}  // namespace

void AppendJson(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                std::string* out) {
  if (!IsValid(vector, row) || type.kind == Kind::kNull || type.kind == Kind::kUnsupported) {
    out->append("null");
    return;
  }
  switch (type.kind) {
    case Kind::kVarchar:
      if (type.json) {
        out->append(GetString(vector, row));
      } else {
        AppendJsonString(out, GetString(vector, row));
      }
      return;
    case Kind::kTimestamp: case Kind::kTimestampS: case Kind::kTimestampMs: case Kind::kTimestampNs:
      AppendJsonTimestamp(out, TimestampMicros(type.kind, vector, row), nullptr);
      return;
    case Kind::kTimestampTz: AppendJsonTimestamp(out, TimestampMicros(type.kind, vector, row), &context); return;
    case Kind::kList: case Kind::kArray: AppendJsonList(type, context, vector, row, out); return;
    case Kind::kStruct: AppendJsonStruct(type, context, vector, row, out); return;
    case Kind::kMap: AppendJsonMap(type, context, vector, row, out); return;
    case Kind::kUnion: AppendJsonUnion(type, context, vector, row, out); return;
    default: AppendJsonScalar(type, context, vector, row, out); return;
  }
}

}  // namespace cdmlake::server::internal
