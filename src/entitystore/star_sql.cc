#include "entitystore/star_sql.h"

#include "engine/quote.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

std::string Literal(const std::string& text) { return engine::QuoteLiteral(text); }

// A calendar attribute computed from DATEKEY.
std::string CalendarPart(Dialect dialect, const std::string& part) {
  const std::string d = QuoteName(dialect, kDateKeyColumn);
  if (dialect == Dialect::kDuckDb) {
    if (part == "date") return d;
    if (part == "day") return "dayofmonth(" + d + ")";
    if (part == "dayofweek") return "isodow(" + d + ")";
    if (part == "dayname") return "dayname(" + d + ")";
    if (part == "week") return "weekofyear(" + d + ")";
    if (part == "month") return "month(" + d + ")";
    if (part == "monthname") return "monthname(" + d + ")";
    if (part == "quarter") return "quarter(" + d + ")";
    if (part == "quartername") return "'Q' || quarter(" + d + ")";
    if (part == "year") return "year(" + d + ")";
    if (part == "yearmonth") return "strftime(" + d + ", '%Y-%m')";
    if (part == "yearquarter") return "year(" + d + ") || '-Q' || quarter(" + d + ")";
  } else {
    if (part == "date") return d;
    if (part == "day") return "DAY(" + d + ")";
    if (part == "dayofweek") return "((DATEPART(weekday, " + d + ") + @@DATEFIRST + 5) % 7 + 1)";
    if (part == "dayname") return "DATENAME(weekday, " + d + ")";
    if (part == "week") return "DATEPART(iso_week, " + d + ")";
    if (part == "month") return "MONTH(" + d + ")";
    if (part == "monthname") return "DATENAME(month, " + d + ")";
    if (part == "quarter") return "DATEPART(quarter, " + d + ")";
    if (part == "quartername") return "CONCAT('Q', DATEPART(quarter, " + d + "))";
    if (part == "year") return "YEAR(" + d + ")";
    if (part == "yearmonth") return "FORMAT(" + d + ", 'yyyy-MM')";
    if (part == "yearquarter") return "CONCAT(YEAR(" + d + "), '-Q', DATEPART(quarter, " + d + "))";
  }
  throw Error(ErrorKind::kInternal, "unknown calendar attribute " + part);
}

std::string Expression(const ColumnExpr& expr, Dialect dialect) {
  switch (expr.kind) {
    case ColumnExpr::Kind::kField:
      return QuoteName(dialect, expr.fields[0]);
    case ColumnExpr::Kind::kConstant:
      // A constant is either a number literal from the builder or a calendar part name.
      if (!expr.constant.empty() && expr.constant[0] >= '0' && expr.constant[0] <= '9') return expr.constant;
      return CalendarPart(dialect, expr.constant);
    case ColumnExpr::Kind::kNull:
      return "CAST(NULL AS " + expr.constant + ")";
    case ColumnExpr::Kind::kDateKey:
      return "CAST(" + QuoteName(dialect, expr.fields[0]) + " AS DATE)";
    case ColumnExpr::Kind::kConcat: {
      std::string out = "CONCAT(";
      for (size_t i = 0; i < expr.fields.size(); ++i) {
        if (i > 0) out += ", '_', ";
        out += QuoteName(dialect, expr.fields[i]);
      }
      return out + ")";
    }
    case ColumnExpr::Kind::kEnumLabel: {
      std::string out = "CASE " + QuoteName(dialect, expr.fields[0]);
      for (const EnumValue& v : expr.enum_values) {
        out += " WHEN " + std::to_string(v.value) + " THEN " + Literal(v.symbol);
      }
      return out + " END";
    }
  }
  return "";
}

std::string SelectList(const std::vector<StarColumn>& columns, Dialect dialect) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ", ";
    out += Expression(columns[i].expr, dialect) + " AS " + QuoteName(dialect, columns[i].name);
  }
  return out;
}

std::string SourceName(Dialect dialect, const std::string& source) {
  return dialect == Dialect::kSynapse ? "[dbo]." + QuoteName(dialect, source) : QuoteName(dialect, source);
}

// The dates of the generated calendar: whole years from the first to the last fact date (today's year when the
// facts have no dates yet).
// The fact dates the calendar covers, as a query with one column `d`.
std::string CalendarDates(const StarSchema& schema, Dialect dialect) {
  std::string dates;
  for (const auto& [source, field] : schema.calendar_fields) {
    if (!dates.empty()) dates += " UNION ALL ";
    dates += "SELECT CAST(" + QuoteName(dialect, field) + " AS DATE) AS d FROM " + SourceName(dialect, source);
  }
  return dates;
}

std::string CalendarSource(const std::string& dates, Dialect dialect) {
  const std::string key = QuoteName(dialect, kDateKeyColumn);
  if (dialect == Dialect::kDuckDb) {
    std::string bounds = "SELECT date_trunc('year', coalesce(min(d), current_date)) AS first_day, "
                         "date_trunc('year', coalesce(max(d), current_date)) + INTERVAL 1 YEAR AS end_day FROM (" +
                         dates + ")";
    return "(SELECT CAST(r.day AS DATE) AS " + key + " FROM (" + bounds +
           ") b, range(b.first_day, b.end_day, INTERVAL 1 DAY) r(day))";
  }
  std::string bounds = "SELECT DATEFROMPARTS(YEAR(COALESCE(MIN(d), GETUTCDATE())), 1, 1) AS first_day, "
                       "DATEFROMPARTS(YEAR(COALESCE(MAX(d), GETUTCDATE())) + 1, 1, 1) AS end_day FROM (" +
                       dates + ") dates";
  return "(SELECT DATEADD(day, n.i, b.first_day) AS " + key + " FROM (" + bounds +
         ") b CROSS JOIN (SELECT TOP (100000) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) - 1 AS i "
         "FROM sys.all_columns a CROSS JOIN sys.all_columns c) n WHERE DATEADD(day, n.i, b.first_day) < b.end_day)";
}

}  // namespace

std::string QuoteName(Dialect dialect, const std::string& name) {
  if (dialect == Dialect::kDuckDb) return engine::QuoteIdentifier(name);
  std::string out = "[";
  for (char c : name) {
    out += c;
    if (c == ']') out += ']';
  }
  return out + "]";
}

std::string FactSelect(const FactTable& fact, Dialect dialect) {
  return "SELECT " + SelectList(fact.columns, dialect) + " FROM " + SourceName(dialect, fact.source);
}

std::string DimensionSelect(const DimensionTable& dimension, const StarSchema& schema, Dialect dialect) {
  return DimensionSelect(dimension, dialect, CalendarDates(schema, dialect));
}

std::string DimensionSelect(const DimensionTable& dimension, Dialect dialect, const std::string& dates_sql) {
  std::string from = dimension.kind == DimensionKind::kCalendar ? CalendarSource(dates_sql, dialect) + " calendar"
                                                                : SourceName(dialect, dimension.source);
  return "SELECT " + SelectList(dimension.columns, dialect) + " FROM " + from;
}

std::string CreateView(Dialect dialect, const std::string& name, const std::string& select) {
  if (dialect == Dialect::kDuckDb) return "CREATE OR REPLACE VIEW " + QuoteName(dialect, name) + " AS " + select;
  return "CREATE OR ALTER VIEW [dbo]." + QuoteName(dialect, name) + " AS " + select;
}

}  // namespace cdmlake::entitystore
