#include "tsql/token_list.h"

#include <algorithm>


#include "util/strings.h"

namespace cdmlake::tsql {
namespace {

bool IsAnyWord(const Token& t, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (t.IsWord(w)) return true;
  }
  return false;
}

// Keywords after which '(' opens a group rather than a call's argument list, so a space is printed before it.
bool KeywordBeforeParen(const Token& t) {
  return IsAnyWord(t, {"AND", "OR", "NOT", "ON", "IN", "AS", "FROM", "JOIN", "WHERE", "SELECT", "EXISTS", "WHEN",
                       "THEN", "ELSE", "OVER", "BY", "UNION", "ALL", "HAVING", "DISTINCT", "CASE", "END", "VALUES",
                       "USING", "WITH", "IS", "LIKE", "BETWEEN", "ANY", "SOME", "INTERVAL", "LIMIT", "EXCEPT",
                       "INTERSECT", "RETURN"});
}

// Whether a '+' or '-' at position i is a sign rather than a binary operator.
bool IsUnary(const Tokens& tokens, size_t i) {
  if (i == 0) return true;
  const Token& prev = tokens[i - 1];
  if (prev.kind == TokenKind::kOperator) return prev.text != ")";
  return IsAnyWord(prev, {"SELECT", "WHERE", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "ON", "BY", "RETURN",
                          "HAVING", "IN", "IS", "LIKE", "BETWEEN", "CASE", "INTERVAL", "LIMIT"});
}

bool JoinWord(const Token& t) { return IsAnyWord(t, {"CROSS", "LEFT", "RIGHT", "FULL", "INNER", "OUTER", "JOIN"}); }

// Whether a line break goes before tokens[i] (only at the outermost level).
bool BreaksLine(const Tokens& tokens, size_t i) {
  const Token& t = tokens[i];
  if (IsAnyWord(t, {"FROM", "WHERE", "GROUP", "HAVING", "ORDER", "UNION", "EXCEPT", "INTERSECT", "LIMIT"})) {
    return true;
  }
  // LEFT(s, 2) and RIGHT(s, 2) are functions; JOIN (SELECT ...) is still a join.
  bool call = (t.IsWord("LEFT") || t.IsWord("RIGHT")) && i + 1 < tokens.size() && tokens[i + 1].IsOp("(");
  bool outer_apply = t.IsWord("OUTER") && i + 1 < tokens.size() && tokens[i + 1].IsWord("APPLY");
  if (JoinWord(t) && !call && (!t.IsWord("OUTER") || outer_apply)) return i == 0 || !JoinWord(tokens[i - 1]);
  if (t.IsWord("SELECT") && i > 0) return IsAnyWord(tokens[i - 1], {"ALL", "UNION", "EXCEPT", "INTERSECT"});
  return false;
}

}  // namespace

size_t MatchParen(const Tokens& tokens, size_t open) {
  int depth = 0;
  for (size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].IsOp("(")) ++depth;
    if (tokens[i].IsOp(")") && --depth == 0) return i;
  }
  return kNone;
}

size_t MatchParenBackward(const Tokens& tokens, size_t close) {
  int depth = 0;
  for (size_t i = close + 1; i-- > 0;) {
    if (tokens[i].IsOp(")")) ++depth;
    if (tokens[i].IsOp("(") && --depth == 0) return i;
  }
  return kNone;
}

bool IsCall(const Tokens& tokens, size_t i, std::string_view name) {
  return i + 1 < tokens.size() && tokens[i].IsWord(name) && tokens[i + 1].IsOp("(");
}

std::vector<Range> SplitArgs(const Tokens& tokens, size_t open, size_t close) {
  if (close == open + 1) return {};
  return SplitTopLevel(tokens, Range{open + 1, close});
}

std::vector<Range> SplitTopLevel(const Tokens& tokens, Range range, std::string_view separator) {
  std::vector<Range> parts;
  int depth = 0;
  range.end = std::min(range.end, tokens.size());
  size_t start = range.begin;
  for (size_t i = range.begin; i < range.end; ++i) {
    if (tokens[i].IsOp("(")) ++depth;
    if (tokens[i].IsOp(")")) --depth;
    if (depth == 0 && tokens[i].IsOp(separator)) {
      parts.push_back(Range{start, i});
      start = i + 1;
    }
  }
  parts.push_back(Range{start, range.end});
  return parts;
}

Tokens Slice(const Tokens& tokens, Range range) {
  return Tokens(tokens.begin() + static_cast<std::ptrdiff_t>(range.begin),
                tokens.begin() + static_cast<std::ptrdiff_t>(range.end));
}

void ReplaceRange(Tokens* tokens, size_t begin, size_t end, const Tokens& replacement) {
  Tokens out;
  out.reserve(tokens->size() - (end - begin) + replacement.size());
  out.insert(out.end(), tokens->begin(), tokens->begin() + static_cast<std::ptrdiff_t>(begin));
  out.insert(out.end(), replacement.begin(), replacement.end());
  out.insert(out.end(), tokens->begin() + static_cast<std::ptrdiff_t>(end), tokens->end());
  *tokens = std::move(out);
}

void Append(Tokens* out, const Tokens& more) { out->insert(out->end(), more.begin(), more.end()); }

Tokens Fragment(std::string_view sql, const Token& origin) {
  Tokens tokens = Tokenize(sql);
  for (Token& t : tokens) {
    t.line = origin.line;
    t.column = origin.column;
  }
  return tokens;
}

std::vector<int> Depths(const Tokens& tokens) {
  std::vector<int> depths(tokens.size());
  int depth = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].IsOp(")")) --depth;
    depths[i] = depth;
    if (tokens[i].IsOp("(")) ++depth;
  }
  return depths;
}

std::string Render(const Token& token) {
  switch (token.kind) {
    case TokenKind::kQuoted: {
      char close = token.quote == '[' ? ']' : '"';
      std::string out(1, token.quote == '[' ? '[' : '"');
      for (char c : token.text) {
        out += c;
        if (c == close) out += c;
      }
      out += close;
      return out;
    }
    case TokenKind::kString: {
      std::string out = token.national ? "N'" : "'";
      for (char c : token.text) {
        out += c;
        if (c == '\'') out += c;
      }
      return out + "'";
    }
    default:
      return token.text;
  }
}

std::string Print(const Tokens& tokens) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.IsOp(")")) --depth;
    if (i > 0) {
      const Token& prev = tokens[i - 1];
      bool space = true;
      if (t.IsOp(",") || t.IsOp(")") || t.IsOp(".") || t.IsOp(";")) space = false;
      if (prev.IsOp("(") || prev.IsOp(".")) space = false;
      if (t.IsOp("(") && (prev.kind == TokenKind::kQuoted || prev.kind == TokenKind::kRaw ||
                          (prev.kind == TokenKind::kWord && !KeywordBeforeParen(prev)))) {
        space = false;
      }
      if ((prev.IsOp("-") || prev.IsOp("+")) && IsUnary(tokens, i - 1)) space = false;
      if (depth == 0 && BreaksLine(tokens, i)) {
        out += '\n';
      } else if (space) {
        out += ' ';
      }
    }
    out += Render(t);
    if (t.IsOp("(")) ++depth;
  }
  return out;
}

}  // namespace cdmlake::tsql
