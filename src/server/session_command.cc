#include "server/session_command.h"

#include <cctype>
#include <cstdlib>
#include <vector>

#include "server/pg_error.h"
#include "server/sql_text.h"

namespace cdmlake::server {

namespace {

using Tokens = std::vector<SqlToken>;

bool IsWord(const Tokens& t, size_t i, std::string_view word) {
  return i < t.size() && t[i].kind == SqlToken::kWord && t[i].text == word;
}

// An object name: a word or a quoted identifier (kept as written).
std::string NameAt(const Tokens& t, size_t i) {
  if (i >= t.size()) return {};
  if (t[i].kind == SqlToken::kWord || t[i].kind == SqlToken::kQuotedIdentifier) return t[i].text;
  return {};
}

// Skips the optional WORK/TRANSACTION noise word.
size_t SkipNoise(const Tokens& t, size_t i) { return IsWord(t, i, "work") || IsWord(t, i, "transaction") ? i + 1 : i; }

// The value list of SET, joined as PostgreSQL shows it ("a, b" for lists).
std::string SetValue(const Tokens& t, size_t i) {
  std::string value;
  for (; i < t.size(); ++i) {
    if (t[i].kind == SqlToken::kPunct && t[i].text == ",") {
      value += ", ";
      continue;
    }
    if (t[i].kind == SqlToken::kPunct) continue;
    if (!value.empty() && value.back() != ' ') value += " ";
    value += t[i].text;
  }
  return value;
}

SessionCommand Make(SessionCommand::Kind kind, std::string tag, std::string name = {}, std::string value = {}) {
  return SessionCommand{kind, std::move(name), std::move(value), std::move(tag)};
}

[[noreturn]] void SyntaxError(const Tokens& t, size_t i) {
  std::string near = i < t.size() ? t[i].text : std::string();
  throw PgError(sqlstate::kSyntaxError,
                near.empty() ? "syntax error at end of input" : "syntax error at or near \"" + near + "\"");
}

bool NumberAt(const Tokens& t, size_t i, int64_t* n) {
  if (i >= t.size() || t[i].kind != SqlToken::kNumber) return false;
  char* end = nullptr;
  *n = std::strtoll(t[i].text.c_str(), &end, 10);
  return end && *end == '\0';
}

// FETCH|MOVE [NEXT | PRIOR | FIRST | LAST | ABSOLUTE n | RELATIVE n | n | ALL | FORWARD [n|ALL] |
// BACKWARD [n|ALL]] [FROM|IN] cursor.
SessionCommand ParseFetch(const Tokens& t, SessionCommand::Kind kind, const char* tag) {
  SessionCommand c = Make(kind, tag);
  size_t i = 1;
  int64_t n = 0;
  if (IsWord(t, i, "next")) {
    ++i;
  } else if (IsWord(t, i, "forward")) {
    ++i;
    if (IsWord(t, i, "all")) c.all = true, ++i;
    else if (NumberAt(t, i, &n)) c.count = n, ++i;
  } else if (IsWord(t, i, "all")) {
    c.all = true, ++i;
  } else if (IsWord(t, i, "prior") || IsWord(t, i, "first") || IsWord(t, i, "last")) {
    c.backward = true, ++i;
  } else if (IsWord(t, i, "absolute") || IsWord(t, i, "relative") || IsWord(t, i, "backward")) {
    c.backward = true, ++i;
    if (IsWord(t, i, "all") || NumberAt(t, i, &n)) ++i;
  } else if (NumberAt(t, i, &n)) {
    c.count = n, ++i;
  }
  // FETCH 0 re-reads the current row and a negative count goes back: both need a scrollable cursor.
  if (!c.all && c.count <= 0) c.backward = true;
  if (IsWord(t, i, "from") || IsWord(t, i, "in")) ++i;
  c.name = NameAt(t, i);
  if (c.name.empty()) SyntaxError(t, i);
  if (i + 1 != t.size()) SyntaxError(t, i + 1);
  return c;
}

// The offset of the text after the first `count` tokens of `s`, which are words or quoted names.
size_t SkipNameTokens(std::string_view s, size_t count) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size()) {
      if (std::isspace(static_cast<unsigned char>(s[i]))) {
        ++i;
        continue;
      }
      size_t e = CommentEnd(s, i);
      if (e == i) break;
      i = e;
    }
  };
  for (size_t k = 0; k < count; ++k) {
    skip_space();
    if (i < s.size() && s[i] == '"') {
      for (++i; i < s.size(); ++i) {
        if (s[i] != '"') continue;
        if (i + 1 < s.size() && s[i + 1] == '"') {
          ++i;
          continue;
        }
        ++i;
        break;
      }
    } else {
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$' ||
                              s[i] == '.' || (s[i] & 0x80))) {
        ++i;
      }
    }
  }
  skip_space();
  return i;
}

}  // namespace

std::optional<CursorDeclaration> ParseDeclareCursor(std::string_view statement) {
  Tokens t = Tokenize(statement);
  if (!IsWord(t, 0, "declare")) return std::nullopt;
  CursorDeclaration d;
  d.name = NameAt(t, 1);
  if (d.name.empty()) SyntaxError(t, 1);
  size_t i = 2;
  for (;; ++i) {
    if (IsWord(t, i, "binary")) d.binary = true;
    else if (IsWord(t, i, "scroll")) d.scroll = true;
    else if (IsWord(t, i, "no") && IsWord(t, i + 1, "scroll")) ++i;
    else if (!IsWord(t, i, "insensitive") && !IsWord(t, i, "asensitive")) break;
  }
  if (!IsWord(t, i, "cursor")) SyntaxError(t, i);
  ++i;
  if (IsWord(t, i, "with") && IsWord(t, i + 1, "hold")) d.hold = true, i += 2;
  else if (IsWord(t, i, "without") && IsWord(t, i + 1, "hold")) i += 2;
  if (!IsWord(t, i, "for")) SyntaxError(t, i);
  d.query = statement.substr(SkipNameTokens(statement, i + 1));
  if (d.query.empty()) SyntaxError(t, i + 1);
  return d;
}

std::optional<SessionCommand> ParseSessionCommand(std::string_view statement) {
  Tokens t = Tokenize(statement);
  if (t.empty() || t[0].kind != SqlToken::kWord) return std::nullopt;
  const std::string& w = t[0].text;
  if (w == "begin") return Make(SessionCommand::kBegin, "BEGIN");
  if (w == "start" && IsWord(t, 1, "transaction")) return Make(SessionCommand::kBegin, "START TRANSACTION");
  if (w == "commit" || w == "end") {
    if (IsWord(t, 1, "prepared")) return std::nullopt;
    return Make(SessionCommand::kCommit, "COMMIT");
  }
  if (w == "rollback" || w == "abort") {
    size_t i = SkipNoise(t, 1);
    if (IsWord(t, i, "to")) {
      i = IsWord(t, i + 1, "savepoint") ? i + 2 : i + 1;
      return Make(SessionCommand::kRollbackTo, "ROLLBACK", NameAt(t, i));
    }
    if (IsWord(t, 1, "prepared")) return std::nullopt;
    return Make(SessionCommand::kRollback, "ROLLBACK");
  }
  if (w == "savepoint") return Make(SessionCommand::kSavepoint, "SAVEPOINT", NameAt(t, 1));
  if (w == "release") {
    size_t i = IsWord(t, 1, "savepoint") ? 2 : 1;
    return Make(SessionCommand::kRelease, "RELEASE", NameAt(t, i));
  }
  if (w == "set") {
    size_t i = 1;
    if (IsWord(t, i, "session") && IsWord(t, i + 1, "characteristics")) return Make(SessionCommand::kSetIgnored, "SET");
    if (IsWord(t, i, "transaction")) return Make(SessionCommand::kSetIgnored, "SET");
    if (IsWord(t, i, "session") || IsWord(t, i, "local")) ++i;
    if (IsWord(t, i, "time") && IsWord(t, i + 1, "zone")) {
      std::string value = SetValue(t, i + 2);
      if (value == "local" || value == "default") value = "DEFAULT";
      return Make(SessionCommand::kSet, "SET", "timezone", value);
    }
    if (IsWord(t, i, "names")) return Make(SessionCommand::kSet, "SET", "client_encoding", SetValue(t, i + 1));
    if (IsWord(t, i, "session") && IsWord(t, i + 1, "authorization")) return Make(SessionCommand::kSetIgnored, "SET");
    if (IsWord(t, i, "role")) return Make(SessionCommand::kSetIgnored, "SET");
    std::string name = NameAt(t, i);
    if (name.empty()) return std::nullopt;
    size_t v = i + 1;
    if (IsWord(t, v, "to") || (v < t.size() && t[v].kind == SqlToken::kPunct && t[v].text == "=")) ++v;
    std::string value = SetValue(t, v);
    if (IsWord(t, v, "default") && v + 1 == t.size()) value = "DEFAULT";
    return Make(SessionCommand::kSet, "SET", name, value);
  }
  if (w == "reset") {
    std::string name = NameAt(t, 1);
    if (IsWord(t, 1, "time") && IsWord(t, 2, "zone")) name = "timezone";
    if (IsWord(t, 1, "session") && IsWord(t, 2, "authorization")) return Make(SessionCommand::kSetIgnored, "RESET");
    return Make(SessionCommand::kReset, "RESET", name);
  }
  if (w == "show") {
    std::string name = NameAt(t, 1);
    if (IsWord(t, 1, "time") && IsWord(t, 2, "zone")) name = "timezone";
    if (IsWord(t, 1, "transaction") && IsWord(t, 2, "isolation")) name = "transaction_isolation";
    if (name.empty()) return std::nullopt;
    return Make(SessionCommand::kShow, "SHOW", name);
  }
  if (w == "deallocate") {
    size_t i = IsWord(t, 1, "prepare") ? 2 : 1;
    return Make(SessionCommand::kDeallocate, IsWord(t, i, "all") ? "DEALLOCATE ALL" : "DEALLOCATE", NameAt(t, i));
  }
  if (w == "discard") return Make(SessionCommand::kDiscard, "DISCARD " + [&] {
    std::string what = NameAt(t, 1);
    for (char& c : what) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return what;
  }(), NameAt(t, 1));
  if (w == "fetch") return ParseFetch(t, SessionCommand::kFetch, "FETCH");
  if (w == "move") return ParseFetch(t, SessionCommand::kMove, "MOVE");
  if (w == "close") {
    SessionCommand c = Make(SessionCommand::kClose, "CLOSE CURSOR");
    if (IsWord(t, 1, "all")) {
      c.all = true;
      c.tag = "CLOSE CURSOR ALL";
    } else {
      c.name = NameAt(t, 1);
      if (c.name.empty()) SyntaxError(t, 1);
    }
    if (t.size() != 2) SyntaxError(t, 2);
    return c;
  }
  if (w == "listen" || w == "unlisten" || w == "notify") {
    std::string tag = w;
    for (char& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return Make(SessionCommand::kListen, tag);
  }
  return std::nullopt;
}

}  // namespace cdmlake::server
