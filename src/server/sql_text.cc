#include "server/sql_text.h"

#include <cctype>

namespace cdmlake::server {

size_t CommentEnd(std::string_view s, size_t i) {
  size_t n = s.size();
  if (i + 1 >= n) return i;
  if (s[i] == '-' && s[i + 1] == '-') {
    size_t e = s.find('\n', i);
    return e == std::string_view::npos ? n : e + 1;
  }
  if (s[i] != '/' || s[i + 1] != '*') return i;
  int depth = 0;
  size_t j = i;
  while (j < n) {
    if (s[j] == '/' && j + 1 < n && s[j + 1] == '*') {
      ++depth;
      j += 2;
    } else if (s[j] == '*' && j + 1 < n && s[j + 1] == '/') {
      j += 2;
      if (--depth == 0) return j;
    } else {
      ++j;
    }
  }
  return n;
}

namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

// The end (one past) of the quoted or commented span starting at i, or i when nothing starts there.
size_t SkipSpan(std::string_view s, size_t i) {
  size_t n = s.size();
  char c = s[i];
  if (size_t e = CommentEnd(s, i); e != i) return e;
  if (c == '\'' || c == '"') {
    // E'…' strings take backslash escapes; standard strings and identifiers only doubled quotes.
    bool backslash = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                     (i == 1 || !IsIdentChar(s[i - 2]));
    size_t j = i + 1;
    while (j < n) {
      if (backslash && s[j] == '\\') {
        j += 2;
        continue;
      }
      if (s[j] == c) {
        if (j + 1 < n && s[j + 1] == c) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      ++j;
    }
    return n;
  }
  if (c == '$' && (i == 0 || !IsIdentChar(s[i - 1]))) {
    size_t j = i + 1;
    while (j < n && (IsIdentChar(s[j]) && s[j] != '$')) ++j;
    if (j < n && s[j] == '$' && (j == i + 1 || !std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::string_view tag = s.substr(i, j - i + 1);
      size_t close = s.find(tag, j + 1);
      return close == std::string_view::npos ? n : close + tag.size();
    }
  }
  return i;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// True when the statement holds only comments and whitespace.
bool OnlyComments(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    if ((s[i] == '-' || s[i] == '/') && i + 1 < s.size() && (s[i + 1] == '-' || s[i + 1] == '*')) {
      size_t e = SkipSpan(s, i);
      if (e == i) return false;
      i = e;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

std::vector<std::string_view> SplitStatements(std::string_view sql) {
  std::vector<std::string_view> out;
  size_t start = 0, i = 0;
  auto emit = [&](size_t end) {
    std::string_view stmt = Trim(sql.substr(start, end - start));
    if (!stmt.empty() && !OnlyComments(stmt)) out.push_back(stmt);
  };
  while (i < sql.size()) {
    size_t e = SkipSpan(sql, i);
    if (e != i) {
      i = e;
      continue;
    }
    if (sql[i] == ';') {
      emit(i);
      start = i + 1;
    }
    ++i;
  }
  emit(sql.size());
  return out;
}

size_t MatchingParen(std::string_view sql, size_t open) {
  int depth = 0;
  size_t i = open;
  while (i < sql.size()) {
    size_t e = SkipSpan(sql, i);
    if (e != i) {
      i = e;
      continue;
    }
    if (sql[i] == '(') ++depth;
    if (sql[i] == ')' && --depth == 0) return i;
    ++i;
  }
  return std::string_view::npos;
}

std::string ReplaceParameters(std::string_view sql, const std::function<std::string(int)>& replacement) {
  std::string out;
  size_t i = 0;
  while (i < sql.size()) {
    size_t e = SkipSpan(sql, i);
    if (e != i) {
      out.append(sql.substr(i, e - i));
      i = e;
      continue;
    }
    if (sql[i] == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1])) &&
        (i == 0 || !IsIdentChar(sql[i - 1]))) {
      size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      out += replacement(std::stoi(std::string(sql.substr(i + 1, j - i - 1))));
      i = j;
      continue;
    }
    out.push_back(sql[i++]);
  }
  return out;
}

bool IsEmptyQuery(std::string_view sql) { return SplitStatements(sql).empty(); }

std::vector<SqlToken> Tokenize(std::string_view s) {
  std::vector<SqlToken> tokens;
  size_t i = 0, n = s.size();
  while (i < n) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    bool estring = (c == 'E' || c == 'e') && i + 1 < n && s[i + 1] == '\'';
    if (estring) ++i, c = s[i];
    size_t e = SkipSpan(s, i);
    if (e != i) {
      if (c == '\'' || c == '"') {
        std::string text;
        size_t close = e > i + 1 && e <= n && s[e - 1] == c ? e - 1 : e;
        for (size_t j = i + 1; j < close; ++j) {
          if (estring && s[j] == '\\' && j + 1 < close) {
            char x = s[++j];
            text.push_back(x == 'n' ? '\n' : x == 't' ? '\t' : x == 'r' ? '\r' : x);
          } else if (s[j] == c && j + 1 < close && s[j + 1] == c) {
            text.push_back(c);
            ++j;
          } else {
            text.push_back(s[j]);
          }
        }
        tokens.push_back({c == '"' ? SqlToken::kQuotedIdentifier : SqlToken::kString, text});
      } else if (c == '$') {
        size_t tag_end = s.find('$', i + 1);
        size_t tag_len = tag_end - i + 1;
        tokens.push_back({SqlToken::kString, std::string(s.substr(tag_end + 1, e - tag_len - tag_end - 1))});
      }
      i = e;  // comments produce no token
      continue;
    }
    if (IsIdentStart(c)) {
      size_t j = i;
      while (j < n && (IsIdentChar(s[j]) || s[j] == '.')) ++j;
      std::string word(s.substr(i, j - i));
      for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      tokens.push_back({SqlToken::kWord, word});
      i = j;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        ((c == '-' || c == '+' || c == '.') && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t j = i + 1;
      while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      tokens.push_back({SqlToken::kNumber, std::string(s.substr(i, j - i))});
      i = j;
      continue;
    }
    tokens.push_back({SqlToken::kPunct, std::string(1, c)});
    ++i;
  }
  return tokens;
}

}  // namespace cdmlake::server
