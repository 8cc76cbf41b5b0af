// Rules about functions, types and operators (see rules.h for the order they run in).
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "tsql/rules.h"
#include "tsql/types.h"
#include "util/strings.h"

namespace cdmlake::tsql {
namespace {

using Rewrite = std::function<std::optional<Tokens>(size_t name, size_t close, const std::vector<Range>& args)>;

// Calls `rewrite` for every call of one of `names` (not a method call such as x.value(...)) and replaces the call
// with what it returns. Scanning continues inside the replacement, so nested calls are rewritten too.
bool RewriteCalls(RuleContext& c, std::initializer_list<std::string_view> names, const Rewrite& rewrite) {
  Tokens& t = c.tokens;
  bool changed = false;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (i > 0 && t[i - 1].IsOp(".")) continue;
    bool match = false;
    for (std::string_view n : names) match = match || IsCall(t, i, n);
    if (!match) continue;
    size_t close = MatchParen(t, i + 1);
    if (close == kNone) continue;
    std::optional<Tokens> replacement = rewrite(i, close, SplitArgs(t, i + 1, close));
    if (!replacement) continue;
    ReplaceRange(&t, i, close + 1, *replacement);
    changed = true;
  }
  return changed;
}

Tokens Paren(const Tokens& inner) {
  Tokens out{MakeOp("(")};
  Append(&out, inner);
  out.push_back(MakeOp(")"));
  return out;
}

// The current UTC time as TIMESTAMP (cdmlake runs DuckDB with TimeZone UTC, and D365 stores UTC).
Tokens UtcNow(const Token& origin) {
  Tokens now{MakeWord("current_timestamp")};
  now[0].line = origin.line;
  now[0].column = origin.column;
  return MakeCast(now, "TIMESTAMP");
}

bool IsSingleString(const Tokens& t, Range r) { return r.end == r.begin + 1 && t[r.begin].kind == TokenKind::kString; }

std::optional<int> IntLiteral(const Tokens& t, Range r) {
  while (r.end - r.begin >= 3 && t[r.begin].IsOp("(") && t[r.end - 1].IsOp(")")) r = Range{r.begin + 1, r.end - 1};
  int sign = 1;
  if (r.end - r.begin == 2 && t[r.begin].IsOp("-")) {
    sign = -1;
    ++r.begin;
  }
  if (r.end != r.begin + 1 || t[r.begin].kind != TokenKind::kNumber) return std::nullopt;
  int64_t v = 0;
  if (!ParseInt64(t[r.begin].text, &v) || v > 1000000000) return std::nullopt;
  return sign * static_cast<int>(v);
}

// A date part written as DATEADD/DATEDIFF/DATEPART's first argument, normalised: year, quarter, month, dayofyear,
// day, week, weekday, hour, minute, second, millisecond, microsecond, iso_week; "" when unknown.
std::string DatePart(const Tokens& t, Range r) {
  if (r.end != r.begin + 1 || !t[r.begin].IsName()) return "";
  static const std::map<std::string, std::string> kParts = {
      {"YEAR", "year"},        {"YY", "year"},          {"YYYY", "year"},       {"QUARTER", "quarter"},
      {"QQ", "quarter"},       {"Q", "quarter"},        {"MONTH", "month"},     {"MM", "month"},
      {"M", "month"},          {"DAYOFYEAR", "dayofyear"}, {"DY", "dayofyear"}, {"Y", "dayofyear"},
      {"DAY", "day"},          {"DD", "day"},           {"D", "day"},           {"WEEK", "week"},
      {"WK", "week"},          {"WW", "week"},          {"WEEKDAY", "weekday"}, {"DW", "weekday"},
      {"W", "weekday"},        {"HOUR", "hour"},        {"HH", "hour"},         {"MINUTE", "minute"},
      {"MI", "minute"},        {"N", "minute"},         {"SECOND", "second"},   {"SS", "second"},
      {"S", "second"},         {"MILLISECOND", "millisecond"}, {"MS", "millisecond"},
      {"MICROSECOND", "microsecond"}, {"MCS", "microsecond"}, {"ISO_WEEK", "iso_week"}, {"ISOWK", "iso_week"},
      {"ISOWW", "iso_week"}};
  auto it = kParts.find(ToUpper(t[r.begin].text));
  return it == kParts.end() ? "" : it->second;
}

// Whether an expression is known to be a date or timestamp: a date-like column, a CAST to a date type made by an
// earlier rule, or a date function.
bool IsDateExpression(const RuleContext& c, const Tokens& t, Range r) {
  if (LooksLikeDateColumn(c, t, r)) return true;
  if (r.empty()) return false;
  if (IsCall(t, r.begin, "CAST") && MatchParen(t, r.begin + 1) == r.end - 1 && r.end - r.begin >= 3) {
    const Token& type = t[r.end - 2];
    return type.kind == TokenKind::kRaw && (type.text == "TIMESTAMP" || type.text == "DATE" ||
                                            type.text == "TIMESTAMPTZ");
  }
  for (const char* f : {"DATEADD", "EOMONTH", "DATEFROMPARTS", "GETDATE", "GETUTCDATE", "SYSUTCDATETIME"}) {
    if (IsCall(t, r.begin, f) && MatchParen(t, r.begin + 1) == r.end - 1) return true;
  }
  return false;
}

// Whether a term of a `+` chain is a string: a literal, a string function, a CAST to VARCHAR, a COALESCE-like
// call or CASE with a string literal among its results, or a parenthesised expression already using ||.
bool IsStringTerm(const Tokens& t, Range r) {
  if (r.empty()) return false;
  if (IsSingleString(t, r)) return true;
  const Token& first = t[r.begin];
  if (first.IsOp("(") && MatchParen(t, r.begin) == r.end - 1) {
    for (size_t i = r.begin + 1; i + 1 < r.end; ++i) {
      if (t[i].IsOp("||")) return true;
    }
    return IsStringTerm(t, Range{r.begin + 1, r.end - 1});
  }
  if (first.IsWord("CASE")) {
    for (size_t i = r.begin; i + 1 < r.end; ++i) {
      if ((t[i].IsWord("THEN") || t[i].IsWord("ELSE")) && t[i + 1].kind == TokenKind::kString) return true;
    }
    return false;
  }
  if (first.kind != TokenKind::kWord || r.end - r.begin < 3 || !t[r.begin + 1].IsOp("(")) return false;
  size_t close = MatchParen(t, r.begin + 1);
  if (close != r.end - 1) return false;
  static const std::set<std::string> kStringFunctions = {
      "CONCAT", "CONCAT_WS", "LTRIM", "RTRIM", "TRIM", "UPPER", "LOWER", "SUBSTRING", "LEFT", "RIGHT", "REPLACE",
      "REPLICATE", "REPEAT", "STUFF", "SPACE", "CHAR", "NCHAR", "STRFTIME", "STRING_AGG", "REVERSE"};
  std::string name = ToUpper(first.text);
  if (kStringFunctions.count(name)) return true;
  if (name == "CAST" || name == "TRY_CAST") {
    return t[close - 1].kind == TokenKind::kRaw && t[close - 1].text == "VARCHAR";
  }
  if (name == "COALESCE" || name == "ISNULL" || name == "NULLIF" || name == "IIF" || name == "MAX" || name == "MIN") {
    for (Range arg : SplitArgs(t, r.begin + 1, close)) {
      if (IsStringTerm(t, arg)) return true;
    }
  }
  return false;
}

// The end (exclusive) of the operand starting at `i`: a name chain with an optional call and OVER (...), a
// parenthesised expression, CASE ... END, or one literal.
size_t TermEnd(const Tokens& t, size_t i) {
  if (i >= t.size()) return i;
  if (t[i].IsOp("(")) {
    size_t close = MatchParen(t, i);
    return close == kNone ? t.size() : close + 1;
  }
  if (t[i].IsWord("CASE")) {
    int depth = 0;
    for (size_t k = i; k < t.size(); ++k) {
      if (t[k].IsWord("CASE")) ++depth;
      if (t[k].IsWord("END") && --depth == 0) return k + 1;
    }
    return t.size();
  }
  if (t[i].IsName()) {
    size_t end = DottedName(t, i).end;
    if (end < t.size() && t[end].IsOp("(")) {
      size_t close = MatchParen(t, end);
      end = close == kNone ? t.size() : close + 1;
      if (end + 1 < t.size() && t[end].IsWord("OVER") && t[end + 1].IsOp("(")) {
        size_t over = MatchParen(t, end + 1);
        end = over == kNone ? t.size() : over + 1;
      }
    }
    return end;
  }
  return i + 1;
}

// The start of the operand ending at `last` (inclusive); the mirror of TermEnd.
size_t TermStart(const Tokens& t, size_t last) {
  if (t[last].IsOp(")")) {
    size_t open = MatchParenBackward(t, last);
    if (open == kNone) return last;
    if (open >= 2 && t[open - 1].IsWord("OVER") && t[open - 2].IsOp(")")) return TermStart(t, open - 2);
    if (open >= 1 && t[open - 1].IsName()) {
      size_t start = open - 1;
      while (start >= 2 && t[start - 1].IsOp(".") && t[start - 2].IsName()) start -= 2;
      return start;
    }
    return open;
  }
  if (t[last].IsWord("END")) {
    int depth = 0;
    for (size_t k = last + 1; k-- > 0;) {
      if (t[k].IsWord("END")) ++depth;
      if (t[k].IsWord("CASE") && --depth == 0) return k;
    }
    return last;
  }
  size_t start = last;
  if (t[last].IsName()) {
    while (start >= 2 && t[start - 1].IsOp(".") && t[start - 2].IsName()) start -= 2;
  }
  return start;
}

bool IsBinaryPlusOrMinus(const Tokens& t, size_t i) {
  if (!(t[i].IsOp("+") || t[i].IsOp("-")) || i == 0) return false;
  const Token& prev = t[i - 1];
  if (prev.kind == TokenKind::kOperator) return prev.text == ")";
  return prev.kind != TokenKind::kWord || !(prev.IsWord("SELECT") || prev.IsWord("WHERE") || prev.IsWord("AND") ||
                                            prev.IsWord("OR") || prev.IsWord("THEN") || prev.IsWord("ELSE") ||
                                            prev.IsWord("WHEN") || prev.IsWord("NOT") || prev.IsWord("ON") ||
                                            prev.IsWord("BY") || prev.IsWord("AS") || prev.IsWord("IS"));
}

// Turns the top-level `+` of tokens[r] into `||` (used where the context says the expression is a string).
void PlusToConcat(Tokens* t, Range r) {
  int depth = 0;
  for (size_t i = r.begin; i < r.end; ++i) {
    if ((*t)[i].IsOp("(")) ++depth;
    if ((*t)[i].IsOp(")")) --depth;
    if (depth == 0 && (*t)[i].IsOp("+") && IsBinaryPlusOrMinus(*t, i)) (*t)[i].text = "||";
  }
}

}  // namespace

bool ContextInfoDates(RuleContext& c) {
  Tokens& t = c.tokens;
  bool changed = false;
  for (size_t i = 0; i < t.size(); ++i) {
    // (SELECT ValidFromInContextInfo FROM GetValidFromDateInContextInfoAsTable()) and the ValidTo twin.
    if (i + 5 < t.size() && t[i].IsWord("SELECT") &&
        (t[i + 1].IsWord("ValidFromInContextInfo") || t[i + 1].IsWord("ValidToInContextInfo")) &&
        t[i + 2].IsWord("FROM") &&
        (t[i + 3].IsWord("GetValidFromDateInContextInfoAsTable") ||
         t[i + 3].IsWord("GetValidToDateInContextInfoAsTable")) &&
        t[i + 4].IsOp("(") && t[i + 5].IsOp(")")) {
      ReplaceRange(&t, i, i + 6, UtcNow(t[i]));
      changed = true;
      continue;
    }
    if (i + 2 < t.size() && (IsCall(t, i, "GetValidFromInContextInfo") || IsCall(t, i, "GetValidToInContextInfo")) &&
        t[i + 2].IsOp(")")) {
      ReplaceRange(&t, i, i + 3, UtcNow(t[i]));
      changed = true;
    }
  }
  return changed;
}

bool CurrentTimestamp(RuleContext& c) {
  return RewriteCalls(c, {"GETDATE", "GETUTCDATE", "SYSUTCDATETIME", "SYSDATETIME", "SYSDATETIMEOFFSET"},
                      [&](size_t name, size_t close, const std::vector<Range>&) -> std::optional<Tokens> {
                        if (close != name + 2) return std::nullopt;
                        if (c.tokens[name].IsWord("SYSDATETIMEOFFSET")) return Tokens{MakeWord("current_timestamp")};
                        return UtcNow(c.tokens[name]);
                      });
}

bool IsNullToCoalesce(RuleContext& c) {
  return RewriteCalls(c, {"ISNULL"}, [&](size_t name, size_t close, const std::vector<Range>& args)
                                         -> std::optional<Tokens> {
    if (args.size() != 2) return std::nullopt;
    Tokens out = Slice(c.tokens, Range{name, close + 1});
    out[0].text = "COALESCE";
    return out;
  });
}

bool IifToCase(RuleContext& c) {
  return RewriteCalls(c, {"IIF"}, [&](size_t, size_t, const std::vector<Range>& args) -> std::optional<Tokens> {
    if (args.size() != 3) return std::nullopt;
    Tokens out{MakeWord("CASE"), MakeWord("WHEN")};
    Append(&out, Slice(c.tokens, args[0]));
    out.push_back(MakeWord("THEN"));
    Append(&out, Slice(c.tokens, args[1]));
    out.push_back(MakeWord("ELSE"));
    Append(&out, Slice(c.tokens, args[2]));
    out.push_back(MakeWord("END"));
    return out;
  });
}

bool CastTypes(RuleContext& c) {
  return RewriteCalls(c, {"CAST", "TRY_CAST"}, [&](size_t name, size_t close, const std::vector<Range>& args)
                                                   -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    if (args.size() != 1) return std::nullopt;
    // The last AS at the call's own level separates the expression from the type.
    size_t as = kNone;
    int depth = 0;
    for (size_t i = name + 2; i < close; ++i) {
      if (t[i].IsOp("(")) ++depth;
      if (t[i].IsOp(")")) --depth;
      if (depth == 0 && t[i].IsWord("AS")) as = i;
    }
    if (as == kNone || as + 1 >= close || (as + 2 == close && t[as + 1].kind == TokenKind::kRaw)) return std::nullopt;
    MappedType type = MapType(t, Range{as + 1, close});
    if (!type.known) {
      c.Report(t[as + 1], "CAST to " + ToUpper(type.sql), "no DuckDB type for T-SQL type " + type.sql);
      return std::nullopt;
    }
    return MakeCast(Slice(t, Range{name + 2, as}), type.sql, t[name].IsWord("TRY_CAST") ? "TRY_CAST" : "CAST");
  });
}

bool ConvertStyles(RuleContext& c) {
  return RewriteCalls(c, {"CONVERT", "TRY_CONVERT"}, [&](size_t name, size_t, const std::vector<Range>& args)
                                                         -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    bool try_form = t[name].IsWord("TRY_CONVERT");
    const char* cast = try_form ? "TRY_CAST" : "CAST";
    const char* parse = try_form ? "try_strptime" : "strptime";
    if (args.size() < 2 || args.size() > 3) {
      c.Report(t[name], "CONVERT", "CONVERT takes a type, an expression and an optional style");
      return std::nullopt;
    }
    MappedType type = MapType(t, args[0]);
    if (!type.known) {
      c.Report(t[args[0].begin], "CONVERT to " + ToUpper(type.sql), "no DuckDB type for T-SQL type " + type.sql);
      return std::nullopt;
    }
    Tokens expr = Slice(t, args[1]);
    if (args.size() == 2) return MakeCast(expr, type.sql, cast);
    std::optional<int> style = IntLiteral(t, args[2]);
    if (!style) {
      c.Report(t[args[2].begin], "CONVERT style", "the style of CONVERT must be a number");
      return std::nullopt;
    }
    bool is_date_target = type.category == TypeCategory::kDate || type.category == TypeCategory::kTimestamp ||
                          type.category == TypeCategory::kTime;
    bool is_string_expr = IsSingleString(t, args[1]);
    bool is_date_expr = IsDateExpression(c, t, args[1]);
    std::string format = DateStyleFormat(*style);
    if (is_date_target) {
      // Date to date ignores the style; so does ISO text, which DuckDB's cast reads.
      if (is_date_expr || (is_string_expr && IsIsoDateStyle(*style))) return MakeCast(expr, type.sql, cast);
      if (format.empty()) {
        c.Report(t[args[2].begin], "CONVERT style " + std::to_string(*style), "unknown date style");
        return MakeCast(expr, type.sql, cast);
      }
      if (is_string_expr) return MakeCast(MakeCall(parse, {expr, {MakeString(format)}}), type.sql, cast);
      // Unknown type: a date passes through the cast, text is parsed with the style's format.
      Tokens as_text = MakeCast(expr, "VARCHAR");
      Tokens parsed = MakeCall(
          "COALESCE", {MakeCast(expr, "TIMESTAMP", "TRY_CAST"), MakeCall(parse, {as_text, {MakeString(format)}})});
      return MakeCast(parsed, type.sql, cast);
    }
    if (type.category == TypeCategory::kString) {
      // Styles 0-2 also apply to numbers (and mean nothing for them); use them on dates only.
      bool date_style = !format.empty() && (is_date_expr || *style > 2);
      if (is_string_expr || !date_style) {
        if (format.empty() && *style > 2 && !is_string_expr) {
          c.Report(t[args[2].begin], "CONVERT style " + std::to_string(*style), "unknown style");
        }
        return MakeCast(expr, type.sql, cast);
      }
      Tokens formatted = MakeCall("strftime", {MakeCast(expr, "TIMESTAMP", cast), {MakeString(format)}});
      // CONVERT(NVARCHAR(10), date, 120) keeps the first 10 characters: T-SQL truncates to the declared length.
      if (type.length > 0 && type.length < 30) {
        formatted = MakeCall("left", {formatted, {MakeNumber(std::to_string(type.length))}});
      }
      return formatted;
    }
    return MakeCast(expr, type.sql, cast);  // numeric styles only shape the text of money and floats
  });
}

bool DateFunctions(RuleContext& c) {
  bool changed = false;
  changed |= RewriteCalls(c, {"DATEADD"}, [&](size_t name, size_t, const std::vector<Range>& args)
                                              -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    if (args.size() != 3) return std::nullopt;
    std::string part = DatePart(t, args[0]);
    Tokens amount = Slice(t, args[1]);
    std::string unit;
    if (part == "year" || part == "month" || part == "day" || part == "week" || part == "hour" ||
        part == "minute" || part == "second" || part == "millisecond" || part == "microsecond") {
      unit = ToUpper(part);
    } else if (part == "dayofyear" || part == "weekday") {
      unit = "DAY";
    } else if (part == "quarter") {
      unit = "MONTH";
      Tokens times{MakeNumber("3"), MakeOp("*")};
      Append(&times, Paren(amount));
      amount = times;
    } else {
      c.Report(t[name], "DATEADD part", "unknown DATEADD date part");
      return std::nullopt;
    }
    Tokens out = Slice(t, args[2]);
    out.push_back(MakeOp("+"));
    out.push_back(MakeWord("INTERVAL"));
    Append(&out, Paren(amount));
    out.push_back(MakeWord(unit));
    return Paren(out);
  });
  changed |= RewriteCalls(c, {"DATEDIFF", "DATEDIFF_BIG"}, [&](size_t name, size_t, const std::vector<Range>& args)
                                                               -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    if (args.size() != 3) return std::nullopt;
    std::string part = DatePart(t, args[0]);
    if (part == "dayofyear" || part == "weekday") part = "day";
    if (part.empty() || part == "iso_week") {
      c.Report(t[name], "DATEDIFF part", "unknown DATEDIFF date part");
      return std::nullopt;
    }
    return MakeCall("date_diff", {{MakeString(part)}, Slice(t, args[1]), Slice(t, args[2])});
  });
  changed |= RewriteCalls(c, {"DATEPART", "DATENAME"}, [&](size_t name, size_t, const std::vector<Range>& args)
                                                           -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    if (args.size() != 2) return std::nullopt;
    std::string part = DatePart(t, args[0]);
    Tokens date = Slice(t, args[1]);
    bool name_form = t[name].IsWord("DATENAME");
    if (part.empty()) {
      c.Report(t[name], ToUpper(t[name].text) + " part", "unknown date part");
      return std::nullopt;
    }
    if (name_form && part == "month") return MakeCall("monthname", {date});
    if (name_form && part == "weekday") return MakeCall("dayname", {date});
    Tokens value;
    if (part == "weekday") {
      // T-SQL counts Sunday as 1 (DATEFIRST 7); DuckDB's dayofweek counts Sunday as 0.
      value = Paren([&] {
        Tokens v = MakeCall("dayofweek", {date});
        v.push_back(MakeOp("+"));
        v.push_back(MakeNumber("1"));
        return v;
      }());
    } else if (part == "iso_week") {
      value = MakeCall("week", {date});
    } else if (part == "dayofyear") {
      value = MakeCall("dayofyear", {date});
    } else {
      value = MakeCall("date_part", {{MakeString(part)}, date});
    }
    return name_form ? MakeCast(value, "VARCHAR") : value;
  });
  changed |= RewriteCalls(c, {"EOMONTH"}, [&](size_t, size_t, const std::vector<Range>& args)
                                              -> std::optional<Tokens> {
    if (args.empty() || args.size() > 2) return std::nullopt;
    Tokens date = Slice(c.tokens, args[0]);
    if (args.size() == 2) {
      date.push_back(MakeOp("+"));
      date.push_back(MakeWord("INTERVAL"));
      Append(&date, Paren(Slice(c.tokens, args[1])));
      date.push_back(MakeWord("MONTH"));
    }
    return MakeCast(MakeCall("last_day", {date}), "DATE");
  });
  changed |= RewriteCalls(c, {"DATEFROMPARTS"}, [&](size_t, size_t, const std::vector<Range>& args)
                                                    -> std::optional<Tokens> {
    if (args.size() != 3) return std::nullopt;
    return MakeCall("make_date", {Slice(c.tokens, args[0]), Slice(c.tokens, args[1]), Slice(c.tokens, args[2])});
  });
  return changed;
}

bool DateIntegerArithmetic(RuleContext& c) {
  Tokens& t = c.tokens;
  bool changed = false;
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    if (!IsBinaryPlusOrMinus(t, i) || !t[i - 1].IsName()) continue;
    size_t start = TermStart(t, i - 1);
    Range left{start, i};
    // The left operand must stand alone: not the right side of * / % (which bind tighter).
    if (start > 0 && (t[start - 1].IsOp("*") || t[start - 1].IsOp("/") || t[start - 1].IsOp("%"))) continue;
    size_t right_end = TermEnd(t, i + 1);
    if (right_end < t.size() && (t[right_end].IsOp("*") || t[right_end].IsOp("/") || t[right_end].IsOp("%"))) {
      continue;
    }
    Range right{i + 1, right_end};
    std::optional<int> days = IntLiteral(t, right);
    if (!days || !LooksLikeDateColumn(c, t, left)) continue;
    Tokens interval{MakeWord("INTERVAL")};
    Append(&interval, Paren(Slice(t, right)));
    interval.push_back(MakeWord("DAY"));
    ReplaceRange(&t, right.begin, right.end, interval);
    changed = true;
  }
  return changed;
}

bool StringFunctions(RuleContext& c) {
  bool changed = false;
  changed |= RewriteCalls(c, {"LEN"}, [&](size_t, size_t, const std::vector<Range>& args) -> std::optional<Tokens> {
    if (args.size() != 1) return std::nullopt;
    // LEN ignores trailing spaces and accepts any type.
    return MakeCall("length", {MakeCall("rtrim", {MakeCast(Slice(c.tokens, args[0]), "VARCHAR")})});
  });
  changed |= RewriteCalls(c, {"CHARINDEX"}, [&](size_t, size_t, const std::vector<Range>& args)
                                                -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    if (args.size() == 2) return MakeCall("strpos", {Slice(t, args[1]), Slice(t, args[0])});
    if (args.size() != 3) return std::nullopt;
    // CHARINDEX(find, s, start): search from start (values below 1 mean 1), answer relative to s, 0 if absent.
    Tokens start = MakeCall("greatest", {Slice(t, args[2]), {MakeNumber("1")}});
    Tokens found = MakeCall("strpos", {MakeCall("substring", {Slice(t, args[1]), start}), Slice(t, args[0])});
    Tokens out{MakeWord("CASE"), MakeWord("WHEN")};
    Append(&out, found);
    Append(&out, {MakeOp("="), MakeNumber("0"), MakeWord("THEN"), MakeNumber("0"), MakeWord("ELSE")});
    Append(&out, found);
    out.push_back(MakeOp("+"));
    Append(&out, start);
    Append(&out, {MakeOp("-"), MakeNumber("1"), MakeWord("END")});
    return out;
  });
  changed |= RewriteCalls(c, {"REPLICATE", "SPACE"}, [&](size_t name, size_t, const std::vector<Range>& args)
                                                         -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    if (t[name].IsWord("SPACE") && args.size() == 1) return MakeCall("repeat", {{MakeString(" ")}, Slice(t, args[0])});
    if (args.size() != 2) return std::nullopt;
    return MakeCall("repeat", {Slice(t, args[0]), Slice(t, args[1])});
  });
  changed |= RewriteCalls(c, {"STUFF"}, [&](size_t, size_t, const std::vector<Range>& args) -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    if (args.size() != 4) return std::nullopt;
    // STUFF(s, start, n, r): the first start-1 characters, r, then the rest after the n deleted ones.
    Tokens before_end = Paren(Slice(t, args[1]));
    Append(&before_end, {MakeOp("-"), MakeNumber("1")});
    Tokens after_start = Paren(Slice(t, args[1]));
    after_start.push_back(MakeOp("+"));
    Append(&after_start, Paren(Slice(t, args[2])));
    Tokens out = MakeCall("substring", {Slice(t, args[0]), {MakeNumber("1")}, before_end});
    out.push_back(MakeOp("||"));
    Append(&out, Slice(t, args[3]));
    out.push_back(MakeOp("||"));
    Append(&out, MakeCall("substring", {Slice(t, args[0]), after_start}));
    return Paren(out);
  });
  changed |= RewriteCalls(c, {"NEWID"}, [&](size_t, size_t, const std::vector<Range>& args) -> std::optional<Tokens> {
    if (!args.empty()) return std::nullopt;
    return MakeCall("gen_random_uuid", {});
  });
  // STRING_AGG(x, d) WITHIN GROUP (ORDER BY ...) -> string_agg(x, d ORDER BY ...).
  Tokens& t = c.tokens;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!IsCall(t, i, "STRING_AGG")) continue;
    size_t close = MatchParen(t, i + 1);
    if (close == kNone || close + 3 >= t.size() || !t[close + 1].IsWord("WITHIN") || !t[close + 2].IsWord("GROUP") ||
        !t[close + 3].IsOp("(")) {
      continue;
    }
    size_t group_close = MatchParen(t, close + 3);
    if (group_close == kNone) continue;
    Tokens order = Slice(t, Range{close + 4, group_close});
    t.erase(t.begin() + static_cast<std::ptrdiff_t>(close + 1),
            t.begin() + static_cast<std::ptrdiff_t>(group_close + 1));
    t.insert(t.begin() + static_cast<std::ptrdiff_t>(close), order.begin(), order.end());
    changed = true;
  }
  return changed;
}

bool StuffForXmlPath(RuleContext& c) {
  return RewriteCalls(c, {"STUFF"}, [&](size_t, size_t, const std::vector<Range>& args) -> std::optional<Tokens> {
    const Tokens& t = c.tokens;
    if (args.size() != 4) return std::nullopt;
    std::optional<int> start = IntLiteral(t, args[1]);
    if (!start || *start != 1 || !IsSingleString(t, args[3]) || !t[args[3].begin].text.empty()) return std::nullopt;
    // The first argument: ( SELECT ... FOR XML PATH('') [, TYPE] ) [.value('...', '...')]
    Range a = args[0];
    if (!t[a.begin].IsOp("(") || a.end - a.begin < 4 || !t[a.begin + 1].IsWord("SELECT")) return std::nullopt;
    size_t sub_close = MatchParen(t, a.begin);
    if (sub_close == kNone) return std::nullopt;
    bool plain = sub_close + 1 == a.end;
    bool value = sub_close + 3 < a.end && t[sub_close + 1].IsOp(".") && t[sub_close + 2].IsWord("value") &&
                 t[sub_close + 3].IsOp("(") && MatchParen(t, sub_close + 3) + 1 == a.end;
    if (!plain && !value) return std::nullopt;
    size_t select = a.begin + 1;
    size_t for_xml = kNone;
    std::vector<int> depth = Depths(t);
    for (size_t i = select; i + 2 < sub_close; ++i) {
      if (depth[i] == depth[select] && t[i].IsWord("FOR") && t[i + 1].IsWord("XML") && t[i + 2].IsWord("PATH")) {
        for_xml = i;
        break;
      }
    }
    if (for_xml == kNone) return std::nullopt;
    size_t list_begin = select + 1;
    bool distinct = t[list_begin].IsWord("DISTINCT");
    if (distinct) ++list_begin;
    size_t list_end = list_begin;
    while (list_end < for_xml && !(depth[list_end] == depth[select] && t[list_end].IsWord("FROM"))) ++list_end;
    Range item{list_begin, list_end};
    if (SplitTopLevel(t, item).size() != 1) return std::nullopt;
    // Drop an alias such as AS [text()].
    if (item.end - item.begin > 2 && t[item.end - 2].IsWord("AS")) item.end -= 2;
    // delimiter + value: split at the first top-level + (or ||).
    size_t plus = kNone;
    for (size_t i = item.begin; i < item.end; ++i) {
      if (depth[i] == depth[select] && (t[i].IsOp("+") || t[i].IsOp("||"))) {
        plus = i;
        break;
      }
    }
    Tokens delimiter = plus == kNone ? Tokens{MakeString("")} : Slice(t, Range{item.begin, plus});
    Tokens item_value = Slice(t, Range{plus == kNone ? item.begin : plus + 1, item.end});
    PlusToConcat(&item_value, Range{0, item_value.size()});
    // The rest of the query: FROM ... WHERE ..., and its ORDER BY, which moves into the aggregate.
    size_t order = kNone;
    for (size_t i = list_end; i + 1 < for_xml; ++i) {
      if (depth[i] == depth[select] && t[i].IsWord("ORDER") && t[i + 1].IsWord("BY")) {
        order = i;
        break;
      }
    }
    Tokens agg{MakeWord("string_agg"), MakeOp("(")};
    if (distinct) agg.push_back(MakeWord("DISTINCT"));
    Append(&agg, item_value);
    agg.push_back(MakeOp(","));
    Append(&agg, delimiter);
    if (order != kNone) Append(&agg, Slice(t, Range{order, for_xml}));
    agg.push_back(MakeOp(")"));
    Tokens out{MakeOp("("), MakeWord("SELECT")};
    Append(&out, agg);
    Append(&out, Slice(t, Range{list_end, order == kNone ? for_xml : order}));
    out.push_back(MakeOp(")"));
    return out;
  });
}

bool StringConcat(RuleContext& c) {
  Tokens& t = c.tokens;
  bool changed = false;
  // Innermost first, so that a parenthesised concatenation is known to be a string when its outer chain is seen.
  std::vector<int> depth = Depths(t);
  int max_depth = 0;
  for (int d : depth) max_depth = std::max(max_depth, d);
  for (int level = max_depth; level >= 0; --level) {
    for (size_t i = 1; i + 1 < t.size(); ++i) {
      if (depth[i] != level || !t[i].IsOp("+") || !IsBinaryPlusOrMinus(t, i)) continue;
      // The whole chain a + b + c around this +.
      std::vector<size_t> pluses{i};
      std::vector<Range> terms;
      size_t start = TermStart(t, i - 1);
      terms.push_back(Range{start, i});
      while (start >= 2 && t[start - 1].IsOp("+") && IsBinaryPlusOrMinus(t, start - 1)) {
        size_t prev = TermStart(t, start - 2);
        pluses.push_back(start - 1);
        terms.push_back(Range{prev, start - 1});
        start = prev;
      }
      size_t end = TermEnd(t, i + 1);
      terms.push_back(Range{i + 1, end});
      while (end + 1 < t.size() && t[end].IsOp("+")) {
        size_t next = TermEnd(t, end + 1);
        pluses.push_back(end);
        terms.push_back(Range{end + 1, next});
        end = next;
      }
      bool stringy = false;
      for (Range r : terms) stringy = stringy || IsStringTerm(t, r);
      if (!stringy) continue;
      for (size_t p : pluses) t[p].text = "||";
      changed = true;
    }
  }
  return changed;
}

}  // namespace cdmlake::tsql
