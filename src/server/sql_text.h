// Lexical helpers over PostgreSQL-dialect SQL text, for the few decisions the server makes before DuckDB sees a
// statement: where the statements of a simple query begin and end, and which session command (SET, BEGIN,
// SAVEPOINT…) a statement is. They understand quoting ('…' with '' escapes, E'…' with backslashes, "…",
// $tag$…$tag$) and comments (--, nested /* */) so that a semicolon or keyword inside them is never taken for
// syntax. Pure functions; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cdmlake::server {

// The statements of a query string, split at top-level semicolons, each trimmed of surrounding whitespace;
// empty statements (";;", trailing ";") are left out. An unterminated quote or comment extends to the end.
std::vector<std::string_view> SplitStatements(std::string_view sql);

// The end (one past) of a comment starting at i ("--" to the end of the line, or a nested "/* */"), or i when no
// comment starts there. An unterminated comment ends with the text.
size_t CommentEnd(std::string_view sql, size_t i);

// The position of the parenthesis closing the one at `open` (quotes and comments skipped), or npos.
size_t MatchingParen(std::string_view sql, size_t open);

// The text with every parameter placeholder $n outside quotes and comments replaced by replacement(n).
std::string ReplaceParameters(std::string_view sql, const std::function<std::string(int)>& replacement);

// True when the text holds nothing but whitespace, comments and semicolons.
bool IsEmptyQuery(std::string_view sql);

// One token of a statement, for the session-command parser: a word (lower-cased, unquoted identifiers and
// keywords), a quoted identifier (kept as written), a string literal (unescaped), a number, or one punctuation
// character.
struct SqlToken {
  enum Kind { kWord, kQuotedIdentifier, kString, kNumber, kPunct } kind;
  std::string text;
};

// The tokens of one statement; comments and whitespace are dropped.
std::vector<SqlToken> Tokenize(std::string_view statement);

}  // namespace cdmlake::server
