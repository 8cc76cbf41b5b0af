#include "server/session_command.h"

#include <vector>

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

}  // namespace

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
  if (w == "listen" || w == "unlisten" || w == "notify") {
    std::string tag = w;
    for (char& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return Make(SessionCommand::kListen, tag);
  }
  return std::nullopt;
}

}  // namespace cdmlake::server
