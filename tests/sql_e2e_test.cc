// `cdmlake sql` over a generated D365 lake, checked against values computed here from the CSV files with an
// independent parser, and the three output formats checked against each other.
#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

constexpr int64_t kScale = 20000;
constexpr const char* kEmptyDate = "1900-01-01T00:00:00.0000000";

// SalesLine columns in generated order.
enum SalesLineColumn {
  kLineRecId,
  kLineSalesId,
  kLineLineNum,
  kLineItemId,
  kLineName,
  kLineSalesQty,
  kLineSalesPrice,
  kLineLineAmount,
  kLineCurrency,
  kLineSalesStatus,
  kLineCustAccount,
  kLineShipRequested,
  kLineShipConfirmed,
  kLineCreated,
  kLineDataAreaId,
  kLinePartition,
  kLineRecVersion,
};

class SqlE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cdmlake-e2e-sql");
    lake_ = dir_->path() + "/lake";
    ready_ = GenerateLake(lake_, kScale, 7);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "the lake could not be generated"; }

  static std::vector<CsvRecord>& Records(const std::string& table) {
    static std::map<std::string, std::vector<CsvRecord>> cache;
    auto it = cache.find(table);
    if (it == cache.end()) it = cache.emplace(table, GeneratedRecords(lake_, table)).first;
    return it->second;
  }

  static TempDir* dir_;
  static std::string lake_;
  static bool ready_;
};

TempDir* SqlE2E::dir_ = nullptr;
std::string SqlE2E::lake_;
bool SqlE2E::ready_ = false;

bool IsIsoTimestamp(const std::string& s) {
  static const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z?)");
  return std::regex_match(s, iso);
}

// The text `cdmlake sql --format csv` should print for a source field of the generated lake.
std::string ExpectedText(const CsvCell& source) {
  if (!source.quoted) return source.text;  // a number, or "" for NULL
  if (IsIsoTimestamp(source.text)) return source.text == kEmptyDate ? "" : IsoToDuckTimestamp(source.text);
  return source.text;
}

bool SameCell(const CsvCell& source, const std::string& actual) {
  if (!source.quoted && !source.text.empty()) {
    try {
      return DecimalUnits(source.text, 6) == DecimalUnits(actual, 6);
    } catch (const std::exception&) {
      return false;
    }
  }
  return ExpectedText(source) == actual;
}

TEST_F(SqlE2E, GeneratedLakeHasExpectedShape) {
  EXPECT_EQ(Records("SalesLine").size(), static_cast<size_t>(kScale));
  EXPECT_GE(ListFiles(GeneratedDataFolder(lake_, "SalesLine"), ".csv").size(), 2u);
  for (const auto& t : GeneratedTables()) {
    for (const auto& r : Records(t.name)) {
      ASSERT_EQ(r.cells.size(), t.columns) << t.name << " record at line " << r.line;
    }
  }
}

TEST_F(SqlE2E, RowCountsMatchTheCsvFiles) {
  std::string query;
  for (const auto& t : GeneratedTables()) {
    if (!query.empty()) query += " UNION ALL ";
    query += "SELECT '" + t.name + "' AS t, count(*) AS n FROM \"Tables\".\"" + t.name + "\"";
  }
  auto rows = SqlCsv(lake_, query + " ORDER BY t");
  ASSERT_TRUE(rows);
  std::map<std::string, std::string> actual;
  for (size_t i = 1; i < rows->size(); ++i) actual[(*rows)[i].at(0)] = (*rows)[i].at(1);
  ASSERT_EQ(actual.size(), GeneratedTables().size());
  for (const auto& t : GeneratedTables()) {
    EXPECT_EQ(actual[t.name], std::to_string(Records(t.name).size())) << t.name;
  }
}

// Every cell of every table reads back as written: strings exactly (quotes, commas, line breaks, UTF-8),
// numbers by value, timestamps in DuckDB's form, F&O's empty date as NULL.
TEST_F(SqlE2E, EveryCellOfEveryTableRoundTrips) {
  for (const auto& t : GeneratedTables()) {
    SCOPED_TRACE(t.name);
    auto rows = SqlCsv(lake_, "SELECT * FROM \"Tables\".\"" + t.name + "\" ORDER BY RECID");
    ASSERT_TRUE(rows);
    std::vector<CsvRecord> expected = Records(t.name);
    std::sort(expected.begin(), expected.end(), [](const CsvRecord& a, const CsvRecord& b) {
      return std::stoll(a.cells[0].text) < std::stoll(b.cells[0].text);
    });
    ASSERT_EQ(rows->size(), expected.size() + 1);
    ASSERT_EQ((*rows)[0].size(), t.columns);
    int mismatches = 0;
    for (size_t r = 0; r < expected.size() && mismatches < 5; ++r) {
      const auto& actual = (*rows)[r + 1];
      ASSERT_EQ(actual.size(), t.columns) << "row " << r;
      for (size_t c = 0; c < t.columns; ++c) {
        if (!SameCell(expected[r].cells[c], actual[c])) {
          ADD_FAILURE() << t.name << " RECID " << expected[r].cells[0].text << " column " << (*rows)[0][c]
                        << ": expected '" << ExpectedText(expected[r].cells[c]) << "', got '" << actual[c] << "'";
          ++mismatches;
        }
      }
    }
  }
}

TEST_F(SqlE2E, LineAmountSumPerCompanyIsExact) {
  std::map<std::string, int64_t> cents;
  for (const auto& r : Records("SalesLine")) {
    cents[r.cells[kLineDataAreaId].text] += DecimalUnits(r.cells[kLineLineAmount].text, 2);
  }
  ASSERT_EQ(cents.size(), 3u) << "usmf, demf and gbsi";
  auto rows = SqlCsv(lake_,
                     "SELECT DATAAREAID, sum(LINEAMOUNT) AS total, count(*) AS n FROM SalesLine GROUP BY DATAAREAID "
                     "ORDER BY DATAAREAID");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), cents.size() + 1);
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& row = (*rows)[i];
    ASSERT_TRUE(cents.count(row[0])) << row[0];
    EXPECT_EQ(DecimalUnits(row[1], 6), cents[row[0]] * 10000) << row[0] << ": " << row[1];
  }
}

TEST_F(SqlE2E, EmptyFinOpsDatesReadAsNull) {
  int64_t confirmed = 0, empty = 0;
  for (const auto& r : Records("SalesLine")) {
    const std::string& v = r.cells[kLineShipConfirmed].text;
    if (v.empty() || v == kEmptyDate) {
      ++empty;
    } else {
      ++confirmed;
    }
  }
  ASSERT_GT(confirmed, 0);
  ASSERT_GT(empty, 0);
  auto rows = SqlCsv(lake_,
                     "SELECT count(SHIPPINGDATECONFIRMED), count(*) FILTER (WHERE SHIPPINGDATECONFIRMED IS NULL), "
                     "min(SHIPPINGDATECONFIRMED) > TIMESTAMP '1901-01-01' FROM SalesLine");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1][0], std::to_string(confirmed));
  EXPECT_EQ((*rows)[1][1], std::to_string(empty));
  EXPECT_EQ((*rows)[1][2], "true");
}

TEST_F(SqlE2E, JoinSalesLineSalesTableCustTable) {
  // Expected: per customer group, the lines of invoiced orders (SALESSTATUS 3) with their amounts.
  std::map<std::string, std::pair<std::string, std::string>> order_of;  // SALESID|area -> (account, status)
  for (const auto& r : Records("SalesTable")) {
    order_of[r.cells[1].text + "|" + r.cells[10].text] = {r.cells[2].text, r.cells[4].text};
  }
  std::map<std::string, std::string> group_of;  // ACCOUNTNUM|area -> CUSTGROUP
  for (const auto& r : Records("CustTable")) group_of[r.cells[1].text + "|" + r.cells[9].text] = r.cells[3].text;
  std::map<std::string, std::pair<int64_t, int64_t>> expected;  // group -> (lines, cents)
  int64_t joined = 0;
  for (const auto& r : Records("SalesLine")) {
    const std::string area = r.cells[kLineDataAreaId].text;
    auto order = order_of.find(r.cells[kLineSalesId].text + "|" + area);
    if (order == order_of.end()) continue;
    auto group = group_of.find(order->second.first + "|" + area);
    if (group == group_of.end()) continue;
    ++joined;
    if (order->second.second != "3") continue;
    auto& e = expected[group->second];
    e.first += 1;
    e.second += DecimalUnits(r.cells[kLineLineAmount].text, 2);
  }
  ASSERT_EQ(joined, kScale) << "every generated line has its order and customer";
  ASSERT_GE(expected.size(), 3u);

  auto rows = SqlCsv(lake_,
                     "SELECT c.CUSTGROUP, count(*), sum(l.LINEAMOUNT) FROM SalesLine l "
                     "JOIN SalesTable h ON l.SALESID = h.SALESID AND l.DATAAREAID = h.DATAAREAID "
                     "JOIN CustTable c ON h.CUSTACCOUNT = c.ACCOUNTNUM AND h.DATAAREAID = c.DATAAREAID "
                     "WHERE h.SALESSTATUS = 3 GROUP BY c.CUSTGROUP ORDER BY c.CUSTGROUP");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), expected.size() + 1);
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& row = (*rows)[i];
    ASSERT_TRUE(expected.count(row[0])) << row[0];
    EXPECT_EQ(row[1], std::to_string(expected[row[0]].first)) << "group " << row[0];
    EXPECT_EQ(DecimalUnits(row[2], 6), expected[row[0]].second * 10000) << "group " << row[0];
  }
  EXPECT_EQ(SqlScalar(lake_,
                      "SELECT count(*) FROM SalesLine l JOIN SalesTable h ON l.SALESID = h.SALESID "
                      "JOIN CustTable c ON h.CUSTACCOUNT = c.ACCOUNTNUM"),
            std::to_string(joined));
}

TEST_F(SqlE2E, MultiLineAddressesRoundTripExactly) {
  std::vector<std::pair<std::string, std::string>> picks;  // RECID, ADDRESS
  const auto& records = Records("LogisticsPostalAddress");
  for (size_t i = 0; i < records.size() && picks.size() < 4; i += records.size() / 4) {
    picks.emplace_back(records[i].cells[0].text, records[i].cells[2].text);
  }
  ASSERT_EQ(picks.size(), 4u);
  std::string in;
  for (const auto& p : picks) in += (in.empty() ? "" : ",") + p.first;
  auto rows = SqlCsv(lake_, "SELECT RECID, ADDRESS FROM LogisticsPostalAddress WHERE RECID IN (" + in +
                                ") ORDER BY RECID");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), picks.size() + 1);
  for (size_t i = 0; i < picks.size(); ++i) {
    EXPECT_NE(picks[i].second.find('\n'), std::string::npos) << "generated addresses span lines";
    EXPECT_EQ((*rows)[i + 1][0], picks[i].first);
    EXPECT_EQ((*rows)[i + 1][1], picks[i].second);
  }
  // Every address has its line breaks: none was split into separate rows.
  EXPECT_EQ(SqlScalar(lake_, "SELECT count(*) FROM LogisticsPostalAddress WHERE ADDRESS LIKE '%' || chr(10) || '%' || "
                             "chr(10) || '%'"),
            std::to_string(records.size()));
}

TEST_F(SqlE2E, NamesWithQuotesAndCommasRoundTrip) {
  // The generator always writes these names (customer 1 and 2, item 0 and 2).
  auto rows = SqlCsv(lake_,
                     "SELECT NAME FROM DirPartyTable WHERE RECID IN (SELECT min(RECID) + 1 FROM DirPartyTable) "
                     "UNION ALL SELECT NAME FROM DirPartyTable WHERE RECID IN (SELECT min(RECID) + 2 FROM DirPartyTable)");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1][0], "Contoso \"Retail\", Ltd.");
  EXPECT_EQ((*rows)[2][0], "Müller GmbH");
  EXPECT_NE(SqlScalar(lake_, "SELECT count(*) FROM SalesLine WHERE NAME LIKE 'Desk, \"Oak\" finish%'"), "0");
  EXPECT_EQ(SqlScalar(lake_, "SELECT ITEMID FROM InventTable ORDER BY RECID LIMIT 1"), "D00001");

  // Lines whose NAME holds a quote and a comma: as many as in the files, with the same text.
  std::multiset<std::string> expected;
  for (const auto& r : Records("SalesLine")) {
    const std::string& name = r.cells[kLineName].text;
    if (name.find('"') != std::string::npos && name.find(',') != std::string::npos) expected.insert(name);
  }
  ASSERT_GT(expected.size(), 10u);
  auto names = SqlCsv(lake_, "SELECT NAME FROM SalesLine WHERE contains(NAME, '\"') AND contains(NAME, ',')");
  ASSERT_TRUE(names);
  std::multiset<std::string> actual;
  for (size_t i = 1; i < names->size(); ++i) actual.insert((*names)[i][0]);
  EXPECT_TRUE(actual == expected) << "expected " << expected.size() << " names, got " << actual.size();
}

TEST_F(SqlE2E, EmptyStringsAreNotNull) {
  int64_t empty = 0;
  for (const auto& r : Records("DirPartyTable")) {
    if (r.cells[3].quoted && r.cells[3].text.empty()) ++empty;
  }
  ASSERT_GT(empty, 0);
  auto rows = SqlCsv(lake_,
                     "SELECT count(*) FILTER (WHERE NAMEALIAS = ''), count(*) FILTER (WHERE NAMEALIAS IS NULL) "
                     "FROM DirPartyTable");
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[1][0], std::to_string(empty));
  EXPECT_EQ((*rows)[1][1], "0");
}

TEST_F(SqlE2E, QualifiedAndUnqualifiedNamesAreTheSameTable) {
  RunResult qualified = RunCdmlake({"--lake", lake_, "sql", "--format", "csv",
                                    "SELECT RECID, NAME, LINEAMOUNT FROM \"Tables\".\"SalesLine\" ORDER BY RECID"});
  RunResult unqualified = RunCdmlake(
      {"--lake", lake_, "sql", "--format", "csv", "SELECT RECID, NAME, LINEAMOUNT FROM SalesLine ORDER BY RECID"});
  RunResult lower = RunCdmlake(
      {"--lake", lake_, "sql", "--format", "csv", "select recid, name, lineamount from tables.salesline order by recid"});
  ASSERT_TRUE(Succeeded(qualified));
  ASSERT_TRUE(Succeeded(unqualified));
  ASSERT_TRUE(Succeeded(lower));
  EXPECT_EQ(ParseCsv(qualified.out).size(), static_cast<size_t>(kScale) + 1);
  EXPECT_TRUE(qualified.out == unqualified.out);
  // Column names follow the query's spelling; the data must be the same.
  EXPECT_EQ(qualified.out.substr(qualified.out.find('\n')), lower.out.substr(lower.out.find('\n')));
  EXPECT_EQ(SqlScalar(lake_,
                      "SELECT count(*) FROM (SELECT * FROM \"Tables\".\"SalesLine\" EXCEPT ALL SELECT * FROM SALESLINE)"),
            "0");
}

TEST_F(SqlE2E, SeveralStatementsPrintTheLastResult) {
  auto rows = SqlCsv(lake_, "CREATE TEMP TABLE t AS SELECT count(*) AS n FROM CustGroup; SELECT n * 2 AS twice FROM t");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0][0], "twice");
  EXPECT_EQ((*rows)[1][0], "12");
}

std::vector<std::string> SplitLines(const std::string& text);

TEST_F(SqlE2E, TraceSqlRecordsTheStatementsRunWithTheirTimes) {
  TempDir dir("cdmlake-e2e-trace");
  const std::string trace = dir / "trace.jsonl";
  RunResult r = RunCdmlake({"--lake", lake_, "--trace-sql", trace, "sql", "--format", "csv",
                            "SELECT count(*) AS n FROM CustGroup"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  // One JSON object per line; the user's query is among the statements (after cdmlake's own views).
  bool found = false;
  for (const std::string& line : SplitLines(ReadFile(trace))) {
    nlohmann::json record = nlohmann::json::parse(line);
    ASSERT_TRUE(record.contains("seconds") && record["seconds"].is_number()) << line;
    EXPECT_GE(record["seconds"].get<double>(), 0.0) << line;
    if (record["sql"] == "SELECT count(*) AS n FROM CustGroup") found = true;
  }
  EXPECT_TRUE(found) << ReadFile(trace);

  RunResult bad = RunCdmlake({"--lake", lake_, "--trace-sql", dir / "missing/folder/trace.jsonl", "sql", "SELECT 1"});
  EXPECT_EQ(bad.exit_code, 1) << bad.Describe();
  EXPECT_TRUE(Contains(bad.err, "missing/folder/trace.jsonl")) << bad.Describe();
  EXPECT_TRUE(Contains(bad.err, "--trace-sql")) << bad.Describe();
}

// ---------------------------------------------------------------------------------------------------------
// Output formats.

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string TrimSpaces(const std::string& s) {
  size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

std::vector<std::string> SplitTableRow(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    size_t bar = line.find(" | ", start);
    cells.push_back(TrimSpaces(line.substr(start, bar == std::string::npos ? std::string::npos : bar - start)));
    if (bar == std::string::npos) break;
    start = bar + 3;
  }
  return cells;
}

std::string EscapeForTable(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out;
}

TEST_F(SqlE2E, TableCsvAndJsonFormatsAgree) {
  const std::string query =
      "SELECT RECID, NAME, LINEAMOUNT, SALESSTATUS, SHIPPINGDATECONFIRMED, CREATEDDATETIME FROM SalesLine "
      "ORDER BY RECID LIMIT 300";
  const std::vector<std::string> columns = {"RECID",        "NAME", "LINEAMOUNT", "SALESSTATUS", "SHIPPINGDATECONFIRMED",
                                            "CREATEDDATETIME"};
  RunResult csv = RunCdmlake({"--lake", lake_, "sql", "--format", "csv", query});
  RunResult json = RunCdmlake({"--lake", lake_, "sql", "--format", "json", query});
  RunResult table = RunCdmlake({"--lake", lake_, "sql", "--format", "table", query});
  RunResult deflt = RunCdmlake({"--lake", lake_, "sql", query});
  ASSERT_TRUE(Succeeded(csv));
  ASSERT_TRUE(Succeeded(json));
  ASSERT_TRUE(Succeeded(table));
  ASSERT_TRUE(Succeeded(deflt));
  EXPECT_EQ(table.out, deflt.out) << "table is the default format";

  auto rows = ParseCsv(csv.out);
  ASSERT_EQ(rows.size(), 301u);
  EXPECT_EQ(rows[0], columns);
  bool saw_multiline = false, saw_null = false, saw_empty = false;
  for (size_t i = 1; i < rows.size(); ++i) {
    saw_multiline |= rows[i][1].find('\n') != std::string::npos;
    saw_null |= rows[i][4].empty();
    saw_empty |= rows[i][1].empty();
  }
  EXPECT_TRUE(saw_multiline && saw_null && saw_empty) << "the sample should hold multi-line names, NULLs, empty names";

  // JSON: an array of objects with the columns in order; numbers unquoted, NULL as null.
  nlohmann::ordered_json j;
  ASSERT_NO_THROW(j = nlohmann::ordered_json::parse(json.out)) << json.out.substr(0, 500);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 300u);
  std::regex amount_re("\"LINEAMOUNT\": ([^,}]*)");
  std::vector<std::string> raw_amounts;
  for (auto it = std::sregex_iterator(json.out.begin(), json.out.end(), amount_re); it != std::sregex_iterator(); ++it) {
    raw_amounts.push_back((*it)[1].str());
  }
  ASSERT_EQ(raw_amounts.size(), 300u);
  for (size_t i = 0; i < 300; ++i) {
    const auto& obj = j[i];
    const auto& row = rows[i + 1];
    SCOPED_TRACE("row " + std::to_string(i));
    std::vector<std::string> keys;
    for (auto it = obj.begin(); it != obj.end(); ++it) keys.push_back(it.key());
    ASSERT_EQ(keys, columns);
    ASSERT_TRUE(obj["RECID"].is_number_integer());
    EXPECT_EQ(std::to_string(obj["RECID"].get<int64_t>()), row[0]);
    ASSERT_TRUE(obj["NAME"].is_string());
    EXPECT_EQ(obj["NAME"].get<std::string>(), row[1]);
    ASSERT_TRUE(obj["LINEAMOUNT"].is_number()) << "decimals are JSON numbers";
    EXPECT_EQ(raw_amounts[i], row[2]) << "the exact decimal text";
    ASSERT_TRUE(obj["SALESSTATUS"].is_number_integer());
    EXPECT_EQ(std::to_string(obj["SALESSTATUS"].get<int64_t>()), row[3]);
    if (row[4].empty()) {
      EXPECT_TRUE(obj["SHIPPINGDATECONFIRMED"].is_null());
    } else {
      ASSERT_TRUE(obj["SHIPPINGDATECONFIRMED"].is_string());
      EXPECT_EQ(obj["SHIPPINGDATECONFIRMED"].get<std::string>(), row[4]);
    }
    EXPECT_EQ(obj["CREATEDDATETIME"].get<std::string>(), row[5]);
  }

  // Table: header, rule, one line per row (line breaks escaped), "(300 rows)".
  auto lines = SplitLines(table.out);
  ASSERT_EQ(lines.size(), 303u) << table.out.substr(0, 2000);
  EXPECT_EQ(SplitTableRow(lines[0]), columns);
  EXPECT_TRUE(std::regex_match(lines[1], std::regex("-+(-\\+--+)*"))) << lines[1];
  EXPECT_EQ(lines.back(), "(300 rows)");
  for (size_t i = 1; i <= 300; ++i) {
    auto cells = SplitTableRow(lines[i + 1]);
    ASSERT_EQ(cells.size(), columns.size()) << lines[i + 1];
    for (size_t c = 0; c < columns.size(); ++c) {
      std::string expected = rows[i][c];
      if (c == 4 && expected.empty()) expected = "NULL";
      EXPECT_EQ(cells[c], EscapeForTable(expected)) << "row " << i << " column " << columns[c];
    }
  }
}

TEST_F(SqlE2E, JsonTypesNullsAndEmptyResults) {
  RunResult r = RunCdmlake({"--lake", lake_, "sql", "--format", "json",
                            "SELECT NULL AS a, 42::BIGINT AS b, 'x\"y' AS c, 1.50::DECIMAL(4,2) AS d, true AS e, "
                            "-2.5::DOUBLE AS f, DATE '2024-02-29' AS g"});
  ASSERT_TRUE(Succeeded(r));
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(r.out)) << r.out;
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_TRUE(j[0]["a"].is_null());
  EXPECT_TRUE(j[0]["b"].is_number_integer());
  EXPECT_EQ(j[0]["b"], 42);
  EXPECT_EQ(j[0]["c"], "x\"y");
  EXPECT_TRUE(j[0]["d"].is_number());
  EXPECT_DOUBLE_EQ(j[0]["d"].get<double>(), 1.5);
  EXPECT_TRUE(j[0]["e"].is_boolean());
  EXPECT_DOUBLE_EQ(j[0]["f"].get<double>(), -2.5);
  EXPECT_EQ(j[0]["g"], "2024-02-29");

  for (const char* format : {"json", "csv", "table"}) {
    RunResult empty = RunCdmlake({"--lake", lake_, "sql", "--format", format, "SELECT 1 AS a WHERE false"});
    ASSERT_TRUE(Succeeded(empty)) << format;
    if (std::string(format) == "json") {
      nlohmann::json e;
      ASSERT_NO_THROW(e = nlohmann::json::parse(empty.out)) << empty.out;
      EXPECT_TRUE(e.is_array() && e.empty());
    } else if (std::string(format) == "csv") {
      EXPECT_EQ(empty.out, "a\n");
    } else {
      EXPECT_TRUE(Contains(empty.out, "(0 rows)")) << empty.out;
    }
  }
}

TEST_F(SqlE2E, CsvOutputQuotesOnlyWhenNeeded) {
  RunResult r = RunCdmlake({"--lake", lake_, "sql", "--format", "csv",
                            "SELECT 'plain' AS \"a,b\", 'with, comma' AS b, 'say \"hi\"' AS c, 'two' || chr(10) || "
                            "'lines' AS d, NULL AS e, '' AS f"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "\"a,b\",b,c,d,e,f\nplain,\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\",,\n");
}

}  // namespace
}  // namespace cdmlake_e2e
