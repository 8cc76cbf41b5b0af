// The last rule: reports every construct the other rules left that DuckDB cannot run or would run with a different
// meaning. It changes nothing, so a caller sees all the problems of a definition at once.
#include <set>

#include "tsql/rules.h"
#include "util/strings.h"

namespace cdmlake::tsql {

bool UnsupportedConstructs(RuleContext& c) {
  // T-SQL functions with no DuckDB equivalent (or, like FORMAT, one with another meaning).
  static const std::set<std::string> kFunctions = {
      "FORMAT", "ISNUMERIC", "CHOOSE", "PARSE", "TRY_PARSE", "DATALENGTH", "SESSION_CONTEXT", "CONTEXT_INFO",
      "OBJECT_ID", "OBJECT_NAME", "HASHBYTES", "CHECKSUM", "BINARY_CHECKSUM", "SCOPE_IDENTITY", "USER_NAME",
      "SUSER_SNAME", "SUSER_NAME", "APP_NAME", "HOST_NAME", "DB_NAME", "DB_ID", "NEWSEQUENTIALID", "SOUNDEX",
      "DIFFERENCE", "PATINDEX", "STRING_SPLIT", "QUOTENAME", "SQL_VARIANT_PROPERTY", "COLUMNPROPERTY",
      "SERVERPROPERTY", "STR", "CONTAINS", "FREETEXT", "COMPRESS", "DECOMPRESS", "FORMATMESSAGE",
      "TODATETIMEOFFSET", "SWITCHOFFSET", "DATETIMEFROMPARTS", "DATETIME2FROMPARTS", "SMALLDATETIMEFROMPARTS",
      "TIMEFROMPARTS", "ORIGINAL_LOGIN", "OPENJSON", "OPENROWSET", "OPENQUERY", "OPENXML", "OPENDATASOURCE",
      "CONTAINSTABLE", "FREETEXTTABLE", "JSON_VALUE", "JSON_QUERY", "JSON_MODIFY", "ISJSON", "CURSOR_STATUS"};
  static const std::set<std::string> kStatements = {"EXEC", "EXECUTE", "MERGE", "INSERT", "UPDATE", "DELETE",
                                                    "DECLARE", "DROP", "TRUNCATE", "BEGIN", "SET"};
  const Tokens& t = c.tokens;
  for (size_t i = 0; i < t.size(); ++i) {
    const Token& tok = t[i];
    const Token* next = i + 1 < t.size() ? &t[i + 1] : nullptr;
    bool after_dot = i > 0 && t[i - 1].IsOp(".");
    if (tok.kind == TokenKind::kError) {
      std::string what = tok.text.rfind("/*", 0) == 0 ? "unterminated comment"
                         : tok.text[0] == '\''       ? "unterminated string literal"
                         : tok.text[0] == '[' || tok.text[0] == '"' ? "unterminated quoted identifier"
                                                                    : "unexpected character " + tok.text;
      c.Report(tok, "syntax", what);
    } else if (tok.kind == TokenKind::kVariable) {
      c.Report(tok, "@variable", tok.text + ": variables exist only in T-SQL batches");
    } else if (tok.kind == TokenKind::kNumber && tok.text.size() > 1 && (tok.text[1] == 'x' || tok.text[1] == 'X')) {
      c.Report(tok, "binary literal", tok.text + " is a VARBINARY literal");
    } else if (tok.kind != TokenKind::kWord) {
      continue;
    } else if (tok.text[0] == '#') {
      c.Report(tok, "temp table", tok.text + ": temporary tables exist only in T-SQL batches");
    } else if (tok.IsWord("APPLY") && i > 0 && (t[i - 1].IsWord("CROSS") || t[i - 1].IsWord("OUTER"))) {
      c.Report(t[i - 1], ToUpper(t[i - 1].text) + " APPLY", "APPLY has no direct DuckDB translation");
    } else if ((tok.IsWord("PIVOT") || tok.IsWord("UNPIVOT")) && next && next->IsOp("(")) {
      c.Report(tok, ToUpper(tok.text), "T-SQL PIVOT syntax differs from DuckDB's");
    } else if (tok.IsWord("FOR") && next && (next->IsWord("XML") || next->IsWord("JSON") || next->IsWord("BROWSE"))) {
      c.Report(tok, "FOR " + ToUpper(next->text), "only STUFF((SELECT ... FOR XML PATH('')), 1, n, '') is translated");
    } else if (tok.IsWord("INTO") && !after_dot) {
      c.Report(tok, "SELECT INTO", "a view cannot create a table");
    } else if (tok.IsWord("NEXT") && next && next->IsWord("VALUE")) {
      c.Report(tok, "NEXT VALUE FOR", "sequences are not translated");
    } else if (!after_dot && kStatements.count(ToUpper(tok.text))) {
      c.Report(tok, ToUpper(tok.text), "only a SELECT can be translated");
    } else if (after_dot && next && next->IsOp("(") &&
               (tok.IsWord("value") || tok.IsWord("nodes") || tok.IsWord("query") || tok.IsWord("exist") ||
                tok.IsWord("modify"))) {
      c.Report(tok, "XML method", "XML data type methods are not translated");
    } else if (!after_dot && next && next->IsOp("(") && kFunctions.count(ToUpper(tok.text))) {
      c.Report(tok, ToUpper(tok.text), "no DuckDB equivalent for T-SQL function " + ToUpper(tok.text));
    }
  }
  // Table-valued functions in FROM/JOIN (the GetValid*InContextInfoAsTable forms were replaced earlier).
  for (size_t start : TableReferenceStarts(t)) {
    Range name = DottedName(t, start);
    if (!name.empty() && name.end < t.size() && t[name.end].IsOp("(") &&
        !kFunctions.count(ToUpper(t[name.end - 1].text))) {
      c.Report(t[name.begin], "table-valued function",
               ToUpper(t[name.end - 1].text) + "(): table-valued functions are not translated");
    }
  }
  return false;
}

}  // namespace cdmlake::tsql
