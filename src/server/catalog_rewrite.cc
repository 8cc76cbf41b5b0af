// The rewrite of client catalog SQL into DuckDB SQL over the emulation (see catalog_emulation.h). It works on
// tokens that keep their original text and the whitespace and comments before them, so that everything not
// rewritten comes out byte for byte, and quoting is never mistaken for syntax. Rules, in order:
//  1. OPERATOR(pg_catalog.op) → op; psql's name patterns (OPERATOR(pg_catalog.~)) match case-insensitively,
//     as DuckDB's names do.
//  2. pg_catalog.X → the emulation's X when it has one, else X (DuckDB's function or type);
//     information_schema.X → the emulation's X when it has one.
//  3. Bare catalog relations (pg_class) and functions (format_type(…)) → the emulation's; current_schema → ().
//  4. COLLATE pg_catalog.default / "C" / "POSIX" → nothing (DuckDB has no such collations; PostgreSQL's
//     default is byte order, as DuckDB's).
//  5. Array literals '{…}' → '[…]' (DuckDB's list text).
//  6. Casts: 'name'::regclass → OID lookup, expr::regclass → its name (likewise regtype, regproc, regnamespace,
//     regrole); ::oid → BIGINT, ::name/::"char"/::text-like → VARCHAR, ::int2vector → SMALLINT[], ::jsonb → JSON.
//  7. Regular expression operators (~, !~, ~*, !~*) → regexp_matches, which like PostgreSQL's finds a match
//     anywhere (DuckDB's ~ must match the whole string); ~~ and friends → LIKE/ILIKE.
//  8. Subscripts of int2vector/oidvector columns (indkey[0]) count from 0 as in PostgreSQL.
//  9. Set-returning functions in FROM with a bare alias (generate_series(…) s, unnest(…) x) name their column
//     too (s(s)), as PostgreSQL does for scalar-returning functions; generate_series in a select list is
//     unnested (DuckDB's returns a list there).
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "server/catalog_internal.h"
#include "server/sql_text.h"

namespace cdmlake::server::catalog {

namespace {

struct Tok {
  enum Kind { kWord, kQuoted, kString, kNumber, kParam, kOp, kPunct, kExpr } kind;
  std::string lead;  // whitespace and comments before the token
  std::string text;  // as written
  std::string colname = {};  // for a rewritten cast: the column name PostgreSQL would give it
};

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }
bool IsOpChar(char c) { return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos; }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The end of a quoted span starting at i with quote character q (doubled quotes escape; backslashes too when
// `backslash`).
size_t QuotedEnd(const std::string& s, size_t i, char q, bool backslash) {
  size_t j = i + 1;
  while (j < s.size()) {
    if (backslash && s[j] == '\\') {
      j += 2;
      continue;
    }
    if (s[j] == q) {
      if (j + 1 < s.size() && s[j + 1] == q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  return s.size();
}

std::vector<Tok> Lex(const std::string& s, std::string* tail) {
  std::vector<Tok> out;
  std::string lead;
  size_t i = 0, n = s.size();
  auto push = [&](Tok::Kind kind, size_t end) {
    out.push_back({kind, std::move(lead), s.substr(i, end - i)});
    lead.clear();
    i = end;
  };
  while (i < n) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      lead.push_back(c);
      ++i;
      continue;
    }
    if (size_t e = CommentEnd(s, i); e != i) {
      lead.append(s, i, e - i);
      i = e;
      continue;
    }
    if (c == '\'') {
      push(Tok::kString, QuotedEnd(s, i, '\'', false));
      continue;
    }
    if (c == '"') {
      push(Tok::kQuoted, QuotedEnd(s, i, '"', false));
      continue;
    }
    if (c == '$') {
      size_t j = i + 1;
      if (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) {
        while (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        push(Tok::kParam, j);
        continue;
      }
      while (j < n && IsIdentChar(s[j]) && s[j] != '$') ++j;
      if (j < n && s[j] == '$') {
        std::string tag = s.substr(i, j - i + 1);
        size_t close = s.find(tag, j + 1);
        push(Tok::kString, close == std::string::npos ? n : close + tag.size());
        continue;
      }
    }
    if (IsIdentStart(c)) {
      // E'…', B'…', X'…', N'…' string prefixes belong to the string.
      if (i + 1 < n && s[i + 1] == '\'' && std::string_view("eEbBxXnN").find(c) != std::string_view::npos) {
        bool backslash = c == 'e' || c == 'E';
        size_t e = QuotedEnd(s, i + 1, '\'', backslash);
        push(Tok::kString, e);
        continue;
      }
      size_t j = i;
      while (j < n && IsIdentChar(s[j])) ++j;
      push(Tok::kWord, j);
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t j = i;
      while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '_')) {
        if ((s[j] == 'e' || s[j] == 'E') && j + 1 < n && (s[j + 1] == '+' || s[j + 1] == '-')) ++j;
        ++j;
      }
      push(Tok::kNumber, j);
      continue;
    }
    if (c == ':' && i + 1 < n && s[i + 1] == ':') {
      push(Tok::kPunct, i + 2);
      continue;
    }
    if (IsOpChar(c)) {
      size_t j = i;
      while (j < n && IsOpChar(s[j])) {
        if (j > i && ((s[j] == '-' && j + 1 < n && s[j + 1] == '-') || (s[j] == '/' && j + 1 < n && s[j + 1] == '*')))
          break;
        ++j;
      }
      push(Tok::kOp, j);
      continue;
    }
    push(Tok::kPunct, i + 1);
  }
  *tail = lead;
  return out;
}

bool Is(const Tok& t, const char* text) { return (t.kind == Tok::kPunct || t.kind == Tok::kOp) && t.text == text; }
bool IsWord(const Tok& t, const char* lower) { return t.kind == Tok::kWord && Lower(t.text) == lower; }
bool IsName(const Tok& t) { return t.kind == Tok::kWord || t.kind == Tok::kQuoted; }

// The name a word or quoted identifier denotes (words fold to lower case).
std::string NameOf(const Tok& t) {
  if (t.kind == Tok::kQuoted) {
    std::string out;
    for (size_t i = 1; i + 1 < t.text.size(); ++i) {
      out.push_back(t.text[i]);
      if (t.text[i] == '"') ++i;
    }
    return out;
  }
  return Lower(t.text);
}

const std::set<std::string>& Keywords() {
  static const std::set<std::string> k = {
      "and",  "or",    "not",   "in",     "when",  "then",  "else",   "case",  "select", "where", "on",
      "exists", "any", "all",   "by",     "from",  "join",  "as",     "is",    "like",   "ilike", "between",
      "values", "end", "using", "group",  "order", "having", "limit", "union", "except", "intersect",
      "left", "right", "inner", "outer",  "cross", "full",  "natural", "with", "lateral", "offset", "distinct",
      "into", "returning", "window", "over", "partition", "filter", "asc", "desc", "nulls", "first", "last",
      "collate", "escape", "similar", "isnull", "notnull", "some", "and", "for", "fetch", "set", "table"};
  return k;
}

int Match(const std::vector<Tok>& t, int i, const char* open, const char* close, int step) {
  int depth = 0;
  for (int j = i; j >= 0 && j < static_cast<int>(t.size()); j += step) {
    if (Is(t[j], open)) ++depth;
    if (Is(t[j], close) && --depth == 0) return j;
  }
  return -1;
}

// Extends a name at i backwards over qualifiers (a.b.c).
int Qualifiers(const std::vector<Tok>& t, int i) {
  while (i >= 2 && Is(t[i - 1], ".") && IsName(t[i - 2])) i -= 2;
  return i;
}

// The first token of the primary expression ending at `end`, or -1.
int OperandStart(const std::vector<Tok>& t, int end) {
  if (end < 0) return -1;
  const Tok& e = t[end];
  if (Is(e, ")")) {
    int open = Match(t, end, ")", "(", -1);
    if (open < 0) return -1;
    if (open > 0 && (t[open - 1].kind == Tok::kQuoted ||
                     (t[open - 1].kind == Tok::kWord && !Keywords().count(Lower(t[open - 1].text))))) {
      return Qualifiers(t, open - 1);
    }
    return open;
  }
  if (Is(e, "]")) {
    int open = Match(t, end, "]", "[", -1);
    return open <= 0 ? open : OperandStart(t, open - 1);
  }
  if (IsName(e)) return Keywords().count(Lower(e.text)) && e.kind == Tok::kWord ? -1 : Qualifiers(t, end);
  if (e.kind == Tok::kString || e.kind == Tok::kNumber || e.kind == Tok::kParam || e.kind == Tok::kExpr) return end;
  return -1;
}

// The last token of the primary expression starting at `start`, or -1.
int OperandEnd(const std::vector<Tok>& t, int start) {
  int n = static_cast<int>(t.size());
  if (start >= n) return -1;
  int i = start;
  if (Is(t[i], "(")) {
    i = Match(t, i, "(", ")", 1);
  } else if (IsName(t[i])) {
    while (i + 2 < n && Is(t[i + 1], ".") && IsName(t[i + 2])) i += 2;
    if (i + 1 < n && Is(t[i + 1], "(")) i = Match(t, i + 1, "(", ")", 1);
  } else if (!(t[i].kind == Tok::kString || t[i].kind == Tok::kNumber || t[i].kind == Tok::kParam ||
               t[i].kind == Tok::kExpr)) {
    return -1;
  }
  while (i >= 0 && i + 1 < n && Is(t[i + 1], "[")) i = Match(t, i + 1, "[", "]", 1);
  return i;
}

std::string Join(const std::vector<Tok>& t, int from, int to, bool keep_first_lead) {
  std::string out;
  for (int i = from; i <= to; ++i) {
    if (i > from || keep_first_lead) out += t[i].lead;
    out += t[i].text;
  }
  return out;
}

// Replaces tokens [from, to] by one expression token, keeping the first token's leading whitespace.
void Replace(std::vector<Tok>& t, int from, int to, std::string text, Tok::Kind kind = Tok::kExpr) {
  t[from].kind = kind;
  t[from].text = std::move(text);
  t.erase(t.begin() + from + 1, t.begin() + to + 1);
}

class Rewriter {
 public:
  Rewriter(const std::set<std::string>& catalog_names, const std::set<std::string>& information_names,
           const std::string& schema, const std::string& info_schema)
      : catalog_(catalog_names), information_(information_names), schema_(schema), info_schema_(info_schema) {}

  std::string Run(const std::string& sql) {
    std::string tail;
    t_ = Lex(sql, &tail);
    Operators();
    QualifiedNames();
    BareNames();
    Collations();
    ArrayLiterals();
    Casts();
    VectorSubscripts();
    RegexOperators();
    FunctionAliases();
    if (!changed_) return sql;
    return Join(t_, 0, static_cast<int>(t_.size()) - 1, true) + tail;
  }

 private:
  int size() const { return static_cast<int>(t_.size()); }
  bool IsFunction(const std::string& name) const { return catalog_.count(name + "()") > 0; }
  bool IsRelation(const std::string& name) const { return catalog_.count(name) > 0; }

  void Operators() {
    for (int i = 0; i + 5 < size(); ++i) {
      if (!IsWord(t_[i], "operator") || !Is(t_[i + 1], "(")) continue;
      int close = Match(t_, i + 1, "(", ")", 1);
      if (close < 0 || t_[close - 1].kind != Tok::kOp) continue;
      std::string op = t_[close - 1].text;
      // psql writes its name patterns (\d name, \dt schema.*) as OPERATOR(pg_catalog.~) after folding unquoted
      // names to lower case. DuckDB's names are case-insensitive (SalesLine and salesline are one table), so
      // those patterns match regardless of case.
      if (op == "~" || op == "!~") op += "*";
      Replace(t_, i, close, op, Tok::kOp);
      changed_ = true;
    }
  }

  void QualifiedNames() {
    for (int i = 0; i + 2 < size(); ++i) {
      if (!IsName(t_[i]) || !Is(t_[i + 1], ".") || !IsName(t_[i + 2])) continue;
      if (i > 0 && Is(t_[i - 1], ".")) continue;
      std::string qualifier = NameOf(t_[i]);
      std::string name = NameOf(t_[i + 2]);
      bool call = i + 3 < size() && Is(t_[i + 3], "(");
      if (qualifier == "pg_catalog") {
        bool ours = call ? IsFunction(name) : IsRelation(name);
        Replace(t_, i, i + 2, ours ? schema_ + "." + t_[i + 2].text : t_[i + 2].text, t_[i + 2].kind);
        if (ours && call) NameSelectItem(i, name);
        changed_ = true;
      } else if (qualifier == "information_schema" && information_.count(name)) {
        Replace(t_, i, i + 2, info_schema_ + "." + t_[i + 2].text, Tok::kWord);
        changed_ = true;
      }
    }
  }

  void BareNames() {
    for (int i = 0; i < size(); ++i) {
      if (t_[i].kind != Tok::kWord) continue;
      if (i > 0 && (Is(t_[i - 1], ".") || Is(t_[i - 1], "::"))) continue;
      bool call = i + 1 < size() && Is(t_[i + 1], "(");
      if (i + 1 < size() && Is(t_[i + 1], ".")) continue;
      std::string name = Lower(t_[i].text);
      if (name.find('.') != std::string::npos) continue;
      if (call ? IsFunction(name) : IsRelation(name)) {
        t_[i].text = schema_ + "." + t_[i].text;
        if (call) NameSelectItem(i, name);
        changed_ = true;
      } else if (!call && (name == "current_schema" || name == "current_catalog")) {
        t_[i].text = schema_ + "." + name + "()";
        t_[i].kind = Tok::kExpr;
        changed_ = true;
      }
    }
  }

  // A select item that is just a call of the function at i gets the function's name as its column name, as in
  // PostgreSQL (DuckDB would name it after the rewritten text, "pg_emul"."version"()).
  void NameSelectItem(int i, const std::string& name) {
    int close = Match(t_, i + 1, "(", ")", 1);
    if (close >= 0) NameSelectItem(i, close, name);
  }

  // The same for the expression of tokens [i, close] (a rewritten cast: PostgreSQL names it after the type).
  void NameSelectItem(int i, int close, const std::string& name) {
    if (i == 0) return;
    const Tok& before = t_[i - 1];
    if (!(Is(before, ",") || IsWord(before, "select") || IsWord(before, "distinct"))) return;
    if (close + 1 < size()) {
      const Tok& after = t_[close + 1];
      if (!(Is(after, ",") || Is(after, ";") || IsWord(after, "from") || IsWord(after, "union") ||
            IsWord(after, "where") || IsWord(after, "order") || IsWord(after, "limit") || Is(after, ")"))) {
        return;
      }
    }
    if (!InSelectList(i)) return;
    t_.insert(t_.begin() + close + 1, Tok{Tok::kExpr, " ", "AS \"" + name + "\""});
  }

  // Whether token i is in a select list: the nearest clause keyword before it at the same depth is SELECT.
  bool InSelectList(int i) const {
    int depth = 0;
    for (int j = i - 1; j >= 0; --j) {
      if (Is(t_[j], ")")) ++depth;
      if (Is(t_[j], "(")) {
        if (depth == 0) return false;
        --depth;
      }
      if (depth != 0 || t_[j].kind != Tok::kWord) continue;
      std::string w = Lower(t_[j].text);
      if (w == "select") return true;
      if (Keywords().count(w) && w != "distinct" && w != "as") return false;
    }
    return false;
  }

  void Collations() {
    for (int i = 0; i + 1 < size(); ++i) {
      if (!IsWord(t_[i], "collate") || !IsName(t_[i + 1])) continue;
      std::string name = NameOf(t_[i + 1]);
      if (name != "default" && name != "C" && name != "POSIX" && name != "c" && name != "posix") continue;
      t_.erase(t_.begin() + i, t_.begin() + i + 2);
      changed_ = true;
      --i;
    }
  }

  void ArrayLiterals() {
    for (Tok& tok : t_) {
      if (tok.kind != Tok::kString || tok.text.size() < 4 || tok.text[0] != '\'' || tok.text[1] != '{' ||
          tok.text[tok.text.size() - 2] != '}')
        continue;
      std::string inner = tok.text.substr(2, tok.text.size() - 4);
      if (inner.find_first_of("{}\"'") != std::string::npos) continue;
      tok.text = "'[" + inner + "]'";
      changed_ = true;
    }
  }

  void Casts() {
    for (int i = 1; i + 1 < size(); ++i) {
      if (!Is(t_[i], "::")) continue;
      int from = OperandStart(t_, i - 1);
      if (from < 0) continue;
      int ty = i + 1;
      if (ty + 2 < size() && IsName(t_[ty]) && Is(t_[ty + 1], ".") &&
          (NameOf(t_[ty]) == "pg_catalog" || NameOf(t_[ty]) == "information_schema")) {
        ty += 2;
      }
      if (!IsName(t_[ty])) continue;
      int end = ty;
      if (end + 1 < size() && Is(t_[end + 1], "(")) end = std::max(end, Match(t_, end + 1, "(", ")", 1));
      bool array = false;
      while (end + 2 < size() && Is(t_[end + 1], "[") && Is(t_[end + 2], "]")) {
        end += 2;
        array = true;
      }
      std::string type = NameOf(t_[ty]);
      std::string operand = Join(t_, from, i - 1, false);
      bool literal = from == i - 1 && (t_[from].kind == Tok::kString || t_[from].kind == Tok::kParam);
      std::string out;
      static const std::set<std::string> reg = {"regclass", "regtype", "regproc", "regprocedure",
                                                "regnamespace", "regrole"};
      static const std::set<std::string> text = {"name",     "text",          "char",        "bpchar",
                                                 "sql_identifier", "character_data", "yes_or_no", "unknown"};
      if (reg.count(type) && !array) {
        std::string base = type == "regprocedure" ? "regproc" : type;
        out = schema_ + "." + base + (literal ? "_oid(" : "_name(") + operand + ")";
      } else if (type == "oid" || type == "xid" || type == "cid" || type == "regoper") {
        out = operand + "::BIGINT" + (array ? "[]" : "");
      } else if (text.count(type) && (type != "char" || t_[ty].kind == Tok::kQuoted)) {
        out = operand + "::VARCHAR" + (array ? "[]" : "");
      } else if (type == "cardinal_number") {
        out = operand + "::INTEGER";
      } else if (type == "int2vector") {
        out = operand + "::SMALLINT[]";
      } else if (type == "oidvector") {
        out = operand + "::BIGINT[]";
      } else if (type == "jsonb") {
        out = operand + "::JSON" + (array ? "[]" : "");
      } else {
        out = operand + "::" + Join(t_, i + 1, end, false);
        if (out == Join(t_, from, end, false)) {
          // Unchanged: still merge, so a following cast or operator sees one operand.
          Replace(t_, from, end, out);
          i = from;
          continue;
        }
      }
      // PostgreSQL names a cast after its operand's column name, else after the type.
      std::string colname = type;
      if (IsName(t_[i - 1])) colname = NameOf(t_[i - 1]);
      if (from == i - 1 && !t_[from].colname.empty()) colname = t_[from].colname;
      Replace(t_, from, end, out);
      t_[from].colname = colname;
      NameSelectItem(from, from, colname);
      changed_ = true;
      i = from;
    }
  }

  // PostgreSQL's int2vector and oidvector columns (pg_index.indkey…, pg_proc.proargtypes) subscript from 0;
  // the emulation keeps them as DuckDB lists, which subscript from 1.
  void VectorSubscripts() {
    static const std::set<std::string> vectors = {"indkey", "indclass", "indcollation", "indoption",
                                                  "proargtypes", "stxkeys"};
    for (int i = 0; i + 1 < size(); ++i) {
      if (!IsName(t_[i]) || !Is(t_[i + 1], "[") || !vectors.count(NameOf(t_[i]))) continue;
      int close = Match(t_, i + 1, "[", "]", 1);
      if (close < 0 || close == i + 2) continue;
      bool slice = false;
      for (int j = i + 2; j < close; ++j) slice = slice || Is(t_[j], ":");
      if (slice) continue;
      t_[i + 1].text = "[(";
      t_[close].text = ") + 1]";
      t_[i + 1].kind = t_[close].kind = Tok::kExpr;
      changed_ = true;
    }
  }

  void RegexOperators() {
    for (int i = 1; i + 1 < size(); ++i) {
      if (t_[i].kind != Tok::kOp) continue;
      const std::string& op = t_[i].text;
      if (op == "~~" || op == "!~~" || op == "~~*" || op == "!~~*") {
        t_[i].kind = Tok::kWord;
        t_[i].text = std::string(op[0] == '!' ? "NOT " : "") + (op.back() == '*' ? "ILIKE" : "LIKE");
        changed_ = true;
        continue;
      }
      if (op != "~" && op != "!~" && op != "~*" && op != "!~*") continue;
      int from = OperandStart(t_, i - 1);
      int to = OperandEnd(t_, i + 1);
      if (from < 0 || to < 0) continue;
      std::string out = std::string(op[0] == '!' ? "NOT " : "") + "regexp_matches(" + Join(t_, from, i - 1, false) +
                        ", " + Join(t_, i + 1, to, false) + (op.back() == '*' ? ", 'i')" : ")");
      Replace(t_, from, to, out);
      changed_ = true;
      i = from;
    }
  }

  // Whether token i (a function name) is in a FROM clause: the nearest clause keyword before it at the same
  // depth is FROM or JOIN.
  bool InFrom(int i) const {
    int depth = 0;
    for (int j = i - 1; j >= 0; --j) {
      if (Is(t_[j], ")")) ++depth;
      if (Is(t_[j], "(")) {
        if (depth == 0) return false;
        --depth;
      }
      if (depth != 0 || t_[j].kind != Tok::kWord) continue;
      std::string w = Lower(t_[j].text);
      if (w == "from" || w == "join") return true;
      if (w == "select" || w == "where" || w == "on" || w == "group" || w == "order" || w == "having") return false;
    }
    return false;
  }

  void FunctionAliases() {
    static const std::set<std::string> srf = {"generate_series", "unnest", "generate_subscripts"};
    for (int i = 0; i + 2 < size(); ++i) {
      if (t_[i].kind != Tok::kWord || !srf.count(Lower(t_[i].text)) || !Is(t_[i + 1], "(")) continue;
      int close = Match(t_, i + 1, "(", ")", 1);
      if (!InFrom(Qualifiers(t_, i))) {
        // In a select list PostgreSQL's generate_series returns rows; DuckDB's returns one list.
        if (Lower(t_[i].text) == "generate_series" && close > 0) {
          Replace(t_, i, close, "unnest(" + Join(t_, i, close, false) + ")");
          changed_ = true;
        }
        continue;
      }
      if (close < 0 || close + 1 >= size()) continue;
      int alias = close + 1;
      if (IsWord(t_[alias], "as") && alias + 1 < size()) ++alias;
      if (!IsName(t_[alias]) || (t_[alias].kind == Tok::kWord && Keywords().count(Lower(t_[alias].text)))) continue;
      if (alias + 1 < size() && Is(t_[alias + 1], "(")) continue;
      t_[alias].text += "(" + t_[alias].text + ")";
      changed_ = true;
    }
  }

  const std::set<std::string>& catalog_;
  const std::set<std::string>& information_;
  const std::string& schema_;
  const std::string& info_schema_;
  std::vector<Tok> t_;
  bool changed_ = false;
};

}  // namespace

bool MayTouchCatalog(const std::string& sql) {
  static const char* const kMarkers[] = {"pg_",   "information_schema", "::reg", "::oid", "::name", "::\"char\"", "::int2vector",
                                         "::jsonb", "operator", "version",
                                         "current_", "format_type",        "_description", "has_", "array_upper",
                                         "array_lower", "~",                "'{"};
  std::string lower = Lower(sql);
  for (const char* m : kMarkers) {
    if (lower.find(m) != std::string::npos) return true;
  }
  return false;
}

std::string RewriteCatalogSql(const std::string& sql, const std::set<std::string>& catalog_names,
                              const std::set<std::string>& information_names, const std::string& schema,
                              const std::string& info_schema) {
  return Rewriter(catalog_names, information_names, schema, info_schema).Run(sql);
}

}  // namespace cdmlake::server::catalog
