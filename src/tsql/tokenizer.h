// The T-SQL tokenizer under the view translator. It splits a definition into words, quoted identifiers, string
// literals, numbers, operators and comments, each with the line and column where it starts, so that rewrite rules
// work on tokens (a comment or a string literal can never be mistaken for SQL) and problems can be reported at
// their position in the original text.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cdmlake::tsql {

enum class TokenKind {
  kWord,        // a bare identifier or keyword: SELECT, T1, PARTITION#2 (T-SQL allows # $ @ inside a name)
  kQuoted,      // [name] or "name"; text holds the name without quotes, escapes resolved; quote says which
  kString,      // '...' or N'...'; text holds the value with '' resolved; national says whether N prefixed it
  kNumber,      // 12, 1.5, .5, 1e3, 0x1F
  kVariable,    // @name or @@name (text includes the @)
  kOperator,    // punctuation and operators: ( ) , . ; + - * / % = < > <= >= <> != !< !> || & | ^ ~ ::
  kComment,     // -- to end of line, or /* */ (T-SQL block comments nest)
  kRaw,         // never produced by the tokenizer: SQL text made by a rewrite rule, printed verbatim
  kError,       // an unterminated string, identifier or comment (text: the rest of the definition), or a
                // character T-SQL does not use
};

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::string text;
  char quote = 0;         // kQuoted: '[' or '"'
  bool national = false;  // kString: N'...'
  int line = 0;           // 1-based position of the first character; 0 for tokens made by rules
  int column = 0;         // 1-based, in bytes

  bool IsWord(std::string_view word) const;  // a bare word equal to `word`, ignoring case
  bool IsOp(std::string_view op) const { return kind == TokenKind::kOperator && text == op; }
  // True for names: bare words and quoted identifiers.
  bool IsName() const { return kind == TokenKind::kWord || kind == TokenKind::kQuoted; }
};

// Splits `text` into tokens, comments included. Never fails: an unterminated literal or comment becomes one
// kError token running to the end of the text, and an unknown character becomes a one-character kError token.
std::vector<Token> Tokenize(std::string_view text);

// Token helpers, shared by the rules.
Token MakeWord(std::string text);
Token MakeOp(std::string text);
Token MakeRaw(std::string text);
Token MakeString(std::string value);
Token MakeNumber(std::string text);

}  // namespace cdmlake::tsql
