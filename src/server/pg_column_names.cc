#include "server/pg_column_names.h"

#include <cctype>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "engine/database.h"
#include "engine/quote.h"
#include "server/sql_text.h"
#include "server/sqlstate.h"

namespace cdmlake::server {

namespace {

using Json = nlohmann::json;

// What FigureColnameInternal answers for one expression: a name and how sure it is (0: no name, "?column?";
// 1: a type name from a cast or "case", which an outer cast or CASE may replace; 2: a real name). `unknown`: the
// name exists but is not in the parse tree (the first column of `(SELECT * …)`), so DuckDB's name is kept.
struct Figured {
  int strength = 0;
  std::string name;
  bool unknown = false;
};

// The member `key` of an object, or null: a reference into the tree, never a copy (value() copies subtrees).
const Json& Get(const Json& j, const char* key) {
  static const Json null;
  if (!j.is_object()) return null;
  auto it = j.find(key);
  return it != j.end() ? *it : null;
}

const std::string& Str(const Json& j, const char* key) {
  static const std::string empty;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get_ref<const std::string&>() : empty;
}

// The byte offset of an expression in the SQL text, if DuckDB recorded one.
std::optional<size_t> Location(const Json& e, std::string_view sql) {
  auto it = e.find("query_location");
  if (it == e.end() || !it->is_number_unsigned()) return std::nullopt;
  uint64_t loc = it->get<uint64_t>();
  if (loc >= sql.size()) return std::nullopt;
  return static_cast<size_t>(loc);
}

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

// The unquoted word at the expression's location, lower-cased ("" when the text there is not a word: an
// operator, a literal, a quoted name).
std::string WordAt(const Json& e, std::string_view sql) {
  std::optional<size_t> loc = Location(e, sql);
  if (!loc || !IsIdentStart(sql[*loc])) return {};
  std::string word;
  for (size_t i = *loc; i < sql.size() && IsIdentChar(sql[i]); ++i) {
    word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i]))));
  }
  return word;
}

// The word just before the expression's location ("array" for ARRAY(SELECT …), whose subquery is located at
// its parenthesis).
std::string WordBefore(const Json& e, std::string_view sql) {
  std::optional<size_t> loc = Location(e, sql);
  if (!loc) return {};
  size_t end = *loc;
  while (end > 0 && std::isspace(static_cast<unsigned char>(sql[end - 1]))) --end;
  size_t begin = end;
  while (begin > 0 && IsIdentChar(sql[begin - 1])) --begin;
  std::string word;
  for (size_t i = begin; i < end; ++i) {
    word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i]))));
  }
  return word;
}

bool IsIdentifier(const std::string& name) {
  if (name.empty() || !IsIdentStart(name[0])) return false;
  for (char c : name) {
    if (!IsIdentChar(c)) return false;
  }
  return true;
}

bool IsWordToken(const std::vector<SqlToken>& t, size_t i, std::string_view word) {
  return i < t.size() && t[i].kind == SqlToken::kWord && t[i].text == word;
}

// The type name starting at token i, as PostgreSQL's grammar names it (SystemTypeName for the SQL-standard
// spellings, the written name otherwise).
std::string TypeNameFromTokens(const std::vector<SqlToken>& t, size_t i) {
  if (i >= t.size() || (t[i].kind != SqlToken::kWord && t[i].kind != SqlToken::kQuotedIdentifier)) return {};
  if (t[i].kind == SqlToken::kQuotedIdentifier) return t[i].text;
  const std::string& w = t[i].text;
  // A qualified name (pg_catalog.int4, one word token) is a generic type name: its last component, not mapped.
  if (size_t dot = w.rfind('.'); dot != std::string::npos) return w.substr(dot + 1);
  if (w == "int" || w == "integer") return "int4";
  if (w == "smallint") return "int2";
  if (w == "bigint") return "int8";
  if (w == "real") return "float4";
  if (w == "double") return IsWordToken(t, i + 1, "precision") ? "float8" : w;
  if (w == "float") {
    // FLOAT(p): single precision up to 24 binary digits.
    if (i + 3 < t.size() && t[i + 1].text == "(" && t[i + 2].kind == SqlToken::kNumber && t[i + 3].text == ")") {
      return std::atoi(t[i + 2].text.c_str()) <= 24 ? "float4" : "float8";
    }
    return "float8";
  }
  if (w == "decimal" || w == "dec" || w == "numeric") return "numeric";
  if (w == "boolean") return "bool";
  if (w == "national" && (IsWordToken(t, i + 1, "character") || IsWordToken(t, i + 1, "char"))) ++i;
  const std::string& c = t[i].text;
  if (c == "character" || c == "char" || c == "nchar") return IsWordToken(t, i + 1, "varying") ? "varchar" : "bpchar";
  if (w == "bit") return IsWordToken(t, i + 1, "varying") ? "varbit" : "bit";
  if (w == "timestamp" || w == "time") {
    size_t k = i + 1;
    if (k + 2 < t.size() && t[k].text == "(" && t[k + 2].text == ")") k += 3;
    bool with_zone = IsWordToken(t, k, "with");
    return w + (with_zone ? "tz" : "");
  }
  return w;
}

// The name PostgreSQL gives the target type of a cast: from the text when the cast is written there (x::type,
// CAST(x AS type)); else from DuckDB's type (typed literals such as DATE '…' carry no location).
std::string CastTypeName(const Json& cast, std::string_view sql) {
  if (std::optional<size_t> loc = Location(cast, sql)) {
    std::string_view rest = sql.substr(*loc);
    if (rest.substr(0, 2) == "::") {
      // A type name is short: tokenizing a window keeps a long statement with many casts linear.
      std::string name = TypeNameFromTokens(Tokenize(rest.substr(2, 256)), 0);
      if (!name.empty()) return name;
    }
    std::string word = WordAt(cast, sql);
    if (word == "cast" || word == "try_cast") {
      size_t open = rest.find('(');
      size_t close = open == std::string_view::npos ? open : MatchingParen(rest, open);
      if (close != std::string_view::npos) {
        std::vector<SqlToken> t = Tokenize(rest.substr(open + 1, close - open - 1));
        // The type follows the last AS at the top level of the parentheses.
        int depth = 0;
        size_t as = std::string::npos;
        for (size_t k = 0; k < t.size(); ++k) {
          if (t[k].kind == SqlToken::kPunct && t[k].text == "(") ++depth;
          else if (t[k].kind == SqlToken::kPunct && t[k].text == ")") --depth;
          else if (depth == 0 && IsWordToken(t, k, "as")) as = k;
        }
        if (as != std::string::npos) {
          std::string name = TypeNameFromTokens(t, as + 1);
          if (!name.empty()) return name;
        }
      }
    }
  }
  const Json& type = Get(cast, "cast_type");
  std::string id = Str(type, "id");
  const Json& info = Get(type, "type_info");
  if ((id == "LIST" || id == "ARRAY") && info.is_object()) {
    // int[] is named after the element type, as PostgreSQL's TypeName is.
    return CastTypeName(Json{{"cast_type", Get(info, "child_type")}}, sql);
  }
  if (id == "USER" && info.is_object()) return Str(info, "user_type_name");
  if (id == "INTEGER") return "int4";
  if (id == "BIGINT") return "int8";
  if (id == "SMALLINT" || id == "TINYINT") return "int2";
  if (id == "BOOLEAN") return "bool";
  if (id == "FLOAT") return "float4";
  if (id == "DOUBLE") return "float8";
  if (id == "DECIMAL") return "numeric";
  if (id == "VARCHAR") return "text";
  if (id == "BLOB") return "bytea";
  if (id == "TIMESTAMP WITH TIME ZONE") return "timestamptz";
  if (id == "TIME WITH TIME ZONE") return "timetz";
  std::string lower;
  for (char ch : id) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  return lower;
}

std::optional<Figured> FirstColumnOf(const Json& node, std::string_view sql);

// Functions DuckDB's parser makes of operator or literal syntax ([1, 2], {'a': 1}, x SIMILAR TO y, x ~ y):
// PostgreSQL has no name for those, so they are named only when the function was written by name.
bool IsSyntaxFunction(const std::string& name) {
  return name == "list_value" || name == "struct_pack" || name == "map" || name == "regexp_full_match" ||
         name == "like_escape" || name == "ilike_escape" || name == "not_like_escape" || name == "not_ilike_escape";
}

// FigureColnameInternal over DuckDB's parse tree.
Figured Figure(const Json& e, std::string_view sql) {
  if (!e.is_object()) return {};
  const std::string& cls = Str(e, "class");
  const std::string& type = Str(e, "type");
  if (cls == "COLUMN_REF") {
    const Json& names = Get(e, "column_names");
    if (names.is_array() && !names.empty() && names.back().is_string()) return {2, names.back().get<std::string>()};
    return {};
  }
  if (cls == "FUNCTION" || cls == "WINDOW") {
    std::string name = Str(e, "function_name");
    if (Get(e, "is_operator") == true || !IsIdentifier(name)) return {};
    std::string word = WordAt(e, sql);
    if (name == "count_star") return {2, "count"};
    if (name == "date_part" && word == "extract") return {2, "extract"};  // EXTRACT(field FROM x)
    if (name == "trim") return {2, "btrim"};                              // TRIM([BOTH] …)
    if (IsSyntaxFunction(name) && word != name) return {};
    return {2, name};
  }
  if (cls == "CAST") {
    // DuckDB parses TRUE and FALSE as casts of 't' and 'f' (located at the keyword); PostgreSQL 15's boolean
    // constants have no name.
    const Json& child = Get(e, "child");
    std::string word = WordAt(child, sql);
    if ((word == "true" || word == "false") && Str(child, "class") == "CONSTANT") return {};
    Figured inner = Figure(Get(e, "child"), sql);
    if (inner.strength <= 1 && !inner.unknown) {
      std::string name = CastTypeName(e, sql);
      if (!name.empty()) return {1, name};
    }
    return inner;
  }
  if (cls == "CASE") {
    Figured otherwise = Figure(Get(e, "else_expr"), sql);
    if (otherwise.strength <= 1 && !otherwise.unknown) return {1, "case"};
    return otherwise;
  }
  if (cls == "COLLATE") return Figure(Get(e, "child"), sql);
  if (cls == "SUBQUERY") {
    const std::string& kind = Str(e, "subquery_type");
    if (kind == "EXISTS") return {2, "exists"};
    if (kind == "SCALAR") {
      if (WordBefore(e, sql) == "array") return {2, "array"};  // ARRAY(SELECT …)
      std::optional<Figured> first = FirstColumnOf(Get(Get(e, "subquery"), "node"), sql);
      // The subquery's first target is named like any target (an alias, else its figured name or ?column?).
      if (first) return {2, first->unknown ? std::string() : first->strength > 0 ? first->name : "?column?",
                         first->unknown};
      return {0, {}, true};
    }
    return {};
  }
  if (cls == "OPERATOR") {
    if (type == "OPERATOR_COALESCE") return {2, "coalesce"};
    if (type == "ARRAY_CONSTRUCTOR") return {2, "array"};
    if (type == "GROUPING_FUNCTION") return {2, "grouping"};
    const Json& children = Get(e, "children");
    // x[i] and x[i:j]: PostgreSQL names a subscripted expression after the expression.
    if ((type == "ARRAY_EXTRACT" || type == "ARRAY_SLICE") && children.is_array() && !children.empty()) {
      return Figure(children[0], sql);
    }
    // (x).field: named after the field.
    if (type == "STRUCT_EXTRACT" && children.is_array() && children.size() == 2) {
      const Json& field = Get(Get(children[1], "value"), "value");
      if (field.is_string()) return {2, field.get<std::string>()};
    }
    return {};
  }
  return {};  // constants, parameters, comparisons, conjunctions, BETWEEN, lambdas: ?column?
}

bool IsStar(const Json& item) { return Str(item, "class") == "STAR"; }

// The query node whose select list names the output: a UNION/EXCEPT/INTERSECT takes its first branch's names.
// nullptr when the names come from elsewhere (UNION BY NAME matches branches by name, other node kinds).
const Json* NamingNode(const Json& node) {
  const Json* n = &node;
  while (n->is_object() && Str(*n, "type") == "SET_OPERATION_NODE") {
    const std::string& op = Str(*n, "setop_type");
    if (op != "UNION" && op != "EXCEPT" && op != "INTERSECT") return nullptr;
    n = &Get(*n, "left");
  }
  if (!n->is_object() || Str(*n, "type") != "SELECT_NODE" || !Get(*n, "select_list").is_array()) {
    return nullptr;
  }
  return n;
}

// The name of a subquery's first output column.
std::optional<Figured> FirstColumnOf(const Json& node, std::string_view sql) {
  const Json* n = NamingNode(node);
  if (!n) return std::nullopt;
  const Json& list = (*n)["select_list"];
  if (list.empty() || IsStar(list[0])) return std::nullopt;
  const std::string& alias = Str(list[0], "alias");
  if (!alias.empty()) return Figured{2, alias};
  return Figure(list[0], sql);
}

}  // namespace

std::string PgTypeNameOf(std::string_view written) { return TypeNameFromTokens(Tokenize(written), 0); }

std::vector<std::string> PgColumnNames(std::string_view ast_json, std::string_view sql,
                                       const std::vector<std::string>& duckdb_names) {
  Json ast = Json::parse(ast_json, nullptr, /*allow_exceptions=*/false);
  if (!ast.is_object() || Get(ast, "error") != false) return duckdb_names;
  const Json& statements = Get(ast, "statements");
  if (!statements.is_array() || statements.size() != 1) return duckdb_names;
  const Json* node = NamingNode(Get(statements[0], "node"));
  if (!node) return duckdb_names;
  const Json& list = (*node)["select_list"];

  // Map select items to output columns: one star may stand for any number of columns (those after it are
  // counted from the end); with more stars the mapping is ambiguous.
  size_t stars = 0, star_at = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    if (IsStar(list[i])) ++stars, star_at = i;
  }
  if (stars > 1) return duckdb_names;
  size_t items = list.size() - stars;
  if (stars == 0 ? items != duckdb_names.size() : items > duckdb_names.size()) return duckdb_names;
  size_t expanded = duckdb_names.size() - items;

  std::vector<std::string> names = duckdb_names;
  for (size_t i = 0; i < list.size(); ++i) {
    if (IsStar(list[i])) continue;
    size_t column = stars == 1 && i > star_at ? i - 1 + expanded : i;
    if (!Str(list[i], "alias").empty()) continue;  // DuckDB's name is the alias
    Figured f = Figure(list[i], sql);
    if (f.unknown) continue;
    names[column] = f.strength > 0 ? f.name : "?column?";
  }
  return names;
}

namespace {

// DuckDB names an unaliased expression after its text, which is never a plain identifier (`sum(x)`, `1`,
// `CAST(x AS INTEGER)`, `CASE … END`) except for constants TRUE, FALSE and NULL. When every name is a plain
// identifier, each column is a column reference, an alias or a star's column, which keep their names: the parse
// tree (which costs about as much as preparing the statement) is not needed.
bool NeedsParseTree(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (!IsIdentifier(name)) return true;
    std::string lower;
    for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "true" || lower == "false" || lower == "null") return true;
  }
  return false;
}

// The names of recent statements, shared by the sessions: clients repeat their statements (prepared or not), and
// both asking DuckDB for the tree and reading it cost more than looking them up. Bounded; emptied when full.
class NameCache {
 public:
  // The names computed for `sql` when DuckDB named its columns `duckdb_names`.
  std::optional<std::vector<std::string>> Find(const std::string& sql, const std::vector<std::string>& duckdb_names) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(sql);
    if (it == entries_.end() || it->second.first != duckdb_names) return std::nullopt;
    return it->second.second;
  }
  void Add(const std::string& sql, const std::vector<std::string>& duckdb_names,
           const std::vector<std::string>& names) {
    if (sql.size() > kMaxStatement) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[sql] = {duckdb_names, names};
  }

 private:
  static constexpr size_t kMaxEntries = 1024;
  static constexpr size_t kMaxStatement = 16 * 1024;
  std::mutex mutex_;
  std::unordered_map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> entries_;
};

NameCache& Cache() {
  static NameCache cache;
  return cache;
}

}  // namespace

std::vector<std::string> PgColumnNamesFor(duckdb_connection connection, const std::string& sql,
                                          const std::vector<std::string>& duckdb_names) {
  if (!NeedsParseTree(duckdb_names)) return duckdb_names;
  if (std::optional<std::vector<std::string>> names = Cache().Find(sql, duckdb_names)) return *names;
  std::string query;
  try {
    query = "SELECT json_serialize_sql(" + engine::QuoteLiteral(sql) + ")";
  } catch (const std::exception&) {
    return duckdb_names;  // a NUL byte: DuckDB would not have prepared the statement either
  }
  duckdb_result result;
  if (duckdb_query(connection, query.c_str(), &result) == DuckDBError) {
    // A cancel or statement timeout that lands here belongs to the client's statement: reported, not swallowed.
    bool interrupted = duckdb_result_error_type(&result) == DUCKDB_ERROR_INTERRUPT;
    std::string message = duckdb_result_error(&result) ? duckdb_result_error(&result) : "INTERRUPT Error";
    duckdb_destroy_result(&result);
    if (interrupted) throw ToPgError(engine::EngineError(DUCKDB_ERROR_INTERRUPT, message));
    return duckdb_names;
  }
  engine::Result owned(result);
  std::vector<std::string> names = PgColumnNames(owned.ScalarText(), sql, duckdb_names);
  Cache().Add(sql, duckdb_names, names);
  return names;
}

}  // namespace cdmlake::server
