#include "tsql/types.h"

#include <algorithm>
#include <vector>

#include "util/strings.h"

namespace cdmlake::tsql {
namespace {

// The numbers (or MAX) between the parentheses after the type name.
std::vector<std::string> TypeArgs(const Tokens& tokens, Range range) {
  std::vector<std::string> args;
  for (size_t i = range.begin + 1; i < range.end; ++i) {
    if (tokens[i].kind == TokenKind::kNumber || tokens[i].kind == TokenKind::kWord) args.push_back(tokens[i].text);
  }
  return args;
}

int ToInt(const std::string& s, int fallback) {
  int64_t v = 0;
  return ParseInt64(s, &v) && v >= 0 && v < 100000 ? static_cast<int>(v) : fallback;
}

}  // namespace

MappedType MapType(const Tokens& tokens, Range range) {
  MappedType out;
  if (range.empty() || !tokens[range.begin].IsName()) {
    for (size_t i = range.begin; i < range.end; ++i) out.sql += Render(tokens[i]);
    return out;
  }
  std::string name = ToUpper(tokens[range.begin].text);
  std::vector<std::string> args = TypeArgs(tokens, range);
  out.known = true;
  auto set = [&](std::string sql, TypeCategory category) {
    out.sql = std::move(sql);
    out.category = category;
  };
  if (name == "NVARCHAR" || name == "VARCHAR" || name == "NCHAR" || name == "CHAR" || name == "NTEXT" ||
      name == "TEXT" || name == "SYSNAME" || name == "XML" || name == "CHARACTER") {
    set("VARCHAR", TypeCategory::kString);
    if (!args.empty() && !EqualsIgnoreCase(args[0], "MAX")) out.length = ToInt(args[0], -1);
    // CHAR/NCHAR without a length is one character in T-SQL, VARCHAR without a length 30 in CONVERT.
    if (args.empty()) out.length = (name == "CHAR" || name == "NCHAR") ? 1 : 30;
    if (name == "SYSNAME") out.length = 128;
    if (name == "NTEXT" || name == "TEXT" || name == "XML") out.length = -1;
  } else if (name == "DATETIME" || name == "DATETIME2" || name == "SMALLDATETIME") {
    set("TIMESTAMP", TypeCategory::kTimestamp);
  } else if (name == "DATETIMEOFFSET") {
    set("TIMESTAMPTZ", TypeCategory::kTimestamp);
  } else if (name == "DATE") {
    set("DATE", TypeCategory::kDate);
  } else if (name == "TIME") {
    set("TIME", TypeCategory::kTime);
  } else if (name == "INT" || name == "INTEGER") {
    set("INTEGER", TypeCategory::kNumber);
  } else if (name == "BIGINT" || name == "SMALLINT") {
    set(name, TypeCategory::kNumber);
  } else if (name == "TINYINT") {
    set("UTINYINT", TypeCategory::kNumber);
  } else if (name == "BIT") {
    set("BOOLEAN", TypeCategory::kNumber);
  } else if (name == "NUMERIC" || name == "DECIMAL" || name == "DEC") {
    // T-SQL allows precision up to 38, as DuckDB does; the cap only guards against a malformed definition.
    int precision = args.empty() ? 18 : std::min(ToInt(args[0], 18), 38);
    int scale = args.size() < 2 ? 0 : std::min(ToInt(args[1], 0), precision);
    set("DECIMAL(" + std::to_string(std::max(precision, 1)) + "," + std::to_string(scale) + ")",
        TypeCategory::kNumber);
  } else if (name == "MONEY") {
    set("DECIMAL(19,4)", TypeCategory::kNumber);
  } else if (name == "SMALLMONEY") {
    set("DECIMAL(10,4)", TypeCategory::kNumber);
  } else if (name == "FLOAT") {
    set(!args.empty() && ToInt(args[0], 53) <= 24 ? "FLOAT" : "DOUBLE", TypeCategory::kNumber);
  } else if (name == "REAL") {
    set("FLOAT", TypeCategory::kNumber);
  } else if (name == "UNIQUEIDENTIFIER") {
    set("UUID", TypeCategory::kOther);
  } else if (name == "VARBINARY" || name == "BINARY" || name == "IMAGE" || name == "ROWVERSION" ||
             name == "TIMESTAMP") {
    set("BLOB", TypeCategory::kOther);
  } else {
    out.known = false;
    for (size_t i = range.begin; i < range.end; ++i) out.sql += Render(tokens[i]);
  }
  return out;
}

std::string DateStyleFormat(int style) {
  switch (style) {
    case 0:
    case 100: return "%b %-d %Y %-I:%M%p";
    case 1: return "%m/%d/%y";
    case 101: return "%m/%d/%Y";
    case 2: return "%y.%m.%d";
    case 102: return "%Y.%m.%d";
    case 3: return "%d/%m/%y";
    case 103: return "%d/%m/%Y";
    case 4: return "%d.%m.%y";
    case 104: return "%d.%m.%Y";
    case 5: return "%d-%m-%y";
    case 105: return "%d-%m-%Y";
    case 6: return "%d %b %y";
    case 106: return "%d %b %Y";
    case 7: return "%b %d, %y";
    case 107: return "%b %d, %Y";
    case 8:
    case 24:
    case 108: return "%H:%M:%S";
    case 10: return "%m-%d-%y";
    case 110: return "%m-%d-%Y";
    case 11: return "%y/%m/%d";
    case 111: return "%Y/%m/%d";
    case 12: return "%y%m%d";
    case 112: return "%Y%m%d";
    case 20:
    case 120: return "%Y-%m-%d %H:%M:%S";
    case 21:
    case 25:
    case 121: return "%Y-%m-%d %H:%M:%S.%g";
    case 23: return "%Y-%m-%d";
    // D365 date-times carry whole seconds, and T-SQL omits a zero millisecond part in style 126.
    case 126:
    case 127: return "%Y-%m-%dT%H:%M:%S";
    default: return "";
  }
}

bool IsIsoDateStyle(int style) {
  return style == 20 || style == 21 || style == 23 || style == 25 || style == 120 || style == 121 || style == 126 ||
         style == 127;
}

}  // namespace cdmlake::tsql
