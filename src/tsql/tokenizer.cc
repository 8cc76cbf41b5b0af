#include "tsql/tokenizer.h"

#include <cctype>

#include "util/strings.h"

namespace cdmlake::tsql {
namespace {

bool IsNameStart(unsigned char c) { return std::isalpha(c) || c == '_' || c == '#' || c >= 0x80; }
bool IsNameChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '#' || c == '$' || c == '@' || c >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
        Advance(1);
        continue;
      }
      Token token;
      token.line = line_;
      token.column = column_;
      size_t start = pos_;
      Scan(&token, start);
      tokens.push_back(std::move(token));
    }
    return tokens;
  }

 private:
  char At(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  // Moves n bytes forward, keeping line and column (a CRLF counts as one line break).
  void Advance(size_t n) {
    for (size_t i = 0; i < n && pos_ < text_.size(); ++i, ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  void Scan(Token* token, size_t start) {
    char c = text_[pos_];
    char next = At(pos_ + 1);
    if (c == '-' && next == '-') {
      size_t end = text_.find('\n', pos_);
      if (end == std::string_view::npos) end = text_.size();
      token->kind = TokenKind::kComment;
      token->text = std::string(text_.substr(start, end - start));
      Advance(end - pos_);
    } else if (c == '/' && next == '*') {
      ScanBlockComment(token, start);
    } else if ((c == 'N' || c == 'n') && next == '\'') {
      Advance(1);
      ScanString(token, start);
      token->national = true;
    } else if (c == '\'') {
      ScanString(token, start);
    } else if (c == '[') {
      ScanDelimited(token, start, ']');
    } else if (c == '"') {
      ScanDelimited(token, start, '"');
    } else if (IsDigit(c) || (c == '.' && IsDigit(next))) {
      ScanNumber(token, start);
    } else if (c == '@') {
      size_t end = pos_ + 1;
      if (At(end) == '@') ++end;
      while (end < text_.size() && IsNameChar(static_cast<unsigned char>(text_[end]))) ++end;
      token->kind = TokenKind::kVariable;
      token->text = std::string(text_.substr(start, end - start));
      Advance(end - pos_);
    } else if (IsNameStart(static_cast<unsigned char>(c))) {
      size_t end = pos_ + 1;
      while (end < text_.size() && IsNameChar(static_cast<unsigned char>(text_[end]))) ++end;
      token->kind = TokenKind::kWord;
      token->text = std::string(text_.substr(start, end - start));
      Advance(end - pos_);
    } else {
      ScanOperator(token, start);
    }
  }

  void ScanBlockComment(Token* token, size_t start) {
    // T-SQL block comments nest: /* a /* b */ c */ is one comment.
    size_t i = pos_ + 2;
    int depth = 1;
    while (i < text_.size() && depth > 0) {
      if (text_[i] == '/' && At(i + 1) == '*') {
        ++depth;
        i += 2;
      } else if (text_[i] == '*' && At(i + 1) == '/') {
        --depth;
        i += 2;
      } else {
        ++i;
      }
    }
    token->kind = depth == 0 ? TokenKind::kComment : TokenKind::kError;
    token->text = std::string(text_.substr(start, i - start));
    Advance(i - pos_);
  }

  // '...' with '' as an escaped quote; pos_ is on the opening quote.
  void ScanString(Token* token, size_t start) { ScanEnclosed(token, start, '\'', TokenKind::kString); }

  // [name] with ]] as an escaped bracket, or "name" with "" as an escaped quote.
  void ScanDelimited(Token* token, size_t start, char close) {
    token->quote = text_[pos_];
    ScanEnclosed(token, start, close, TokenKind::kQuoted);
  }

  // Text up to `close`, a doubled `close` standing for one; pos_ is on the opening character. A closed run is a
  // `kind` token holding the text between, an unclosed one an error token holding the raw text.
  void ScanEnclosed(Token* token, size_t start, char close, TokenKind kind) {
    std::string value;
    size_t i = pos_ + 1;
    bool closed = false;
    while (i < text_.size()) {
      if (text_[i] == close) {
        if (At(i + 1) == close) {
          value += close;
          i += 2;
          continue;
        }
        closed = true;
        ++i;
        break;
      }
      value += text_[i++];
    }
    token->kind = closed ? kind : TokenKind::kError;
    token->text = closed ? value : std::string(text_.substr(start, i - start));
    Advance(i - pos_);
  }

  void ScanNumber(Token* token, size_t start) {
    size_t i = pos_;
    if (text_[i] == '0' && (At(i + 1) == 'x' || At(i + 1) == 'X')) {
      i += 2;
      while (i < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[i]))) ++i;
    } else {
      while (i < text_.size() && IsDigit(text_[i])) ++i;
      if (At(i) == '.') {
        ++i;
        while (i < text_.size() && IsDigit(text_[i])) ++i;
      }
      if ((At(i) == 'e' || At(i) == 'E') &&
          (IsDigit(At(i + 1)) || ((At(i + 1) == '+' || At(i + 1) == '-') && IsDigit(At(i + 2))))) {
        i += 2;
        while (i < text_.size() && IsDigit(text_[i])) ++i;
      }
    }
    token->kind = TokenKind::kNumber;
    token->text = std::string(text_.substr(start, i - start));
    Advance(i - pos_);
  }

  void ScanOperator(Token* token, size_t start) {
    static const char* kTwoChar[] = {"<=", ">=", "<>", "!=", "!<", "!>", "||", "::", "+=", "-=", "*=", "/="};
    for (const char* op : kTwoChar) {
      if (text_.substr(pos_, 2) == op) {
        token->kind = TokenKind::kOperator;
        token->text = op;
        Advance(2);
        return;
      }
    }
    static const std::string_view kOneChar = "(),.;+-*/%=<>&|^~!:";
    char c = text_[pos_];
    token->kind = kOneChar.find(c) != std::string_view::npos ? TokenKind::kOperator : TokenKind::kError;
    token->text = std::string(text_.substr(start, 1));
    Advance(1);
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

bool Token::IsWord(std::string_view word) const { return kind == TokenKind::kWord && EqualsIgnoreCase(text, word); }

std::vector<Token> Tokenize(std::string_view text) { return Scanner(text).Run(); }

Token MakeWord(std::string text) { return Token{TokenKind::kWord, std::move(text)}; }
Token MakeOp(std::string text) { return Token{TokenKind::kOperator, std::move(text)}; }
Token MakeRaw(std::string text) { return Token{TokenKind::kRaw, std::move(text)}; }
Token MakeString(std::string value) { return Token{TokenKind::kString, std::move(value)}; }
Token MakeNumber(std::string text) { return Token{TokenKind::kNumber, std::move(text)}; }

}  // namespace cdmlake::tsql
