// The translations run in DuckDB: every golden output parses, and real and representative views give the right
// rows over small tables. (This test links cdmlake_engine, which the tsql module itself does not use.)
#include <gtest/gtest.h>

#include <set>

#include "engine/database.h"
#include "tsql/golden_test_util.h"
#include "tsql/rules.h"
#include "tsql/translator.h"

namespace cdmlake::tsql {
namespace {

engine::Settings TestSettings() { return engine::Settings{1, "256MB", "", {}}; }

// Translates `definition`, requires success, and creates the view under its own name.
void CreateView(engine::Connection& con, const std::string& definition, const TranslateOptions& options = {}) {
  Translation t = TranslateView(definition, options);
  ASSERT_TRUE(t.ok()) << (t.unsupported.empty() ? "empty query" : t.unsupported[0].construct);
  con.Execute("CREATE VIEW \"" + t.view_name + "\" AS " + t.query);
}

std::string Rows(engine::Connection& con, const std::string& sql) {
  std::string out;
  for (const auto& row : con.Query(sql).FetchAllText()) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "|" : "") + row[i].value_or("NULL");
    out += "\n";
  }
  return out;
}

TEST(TranslatorDuckDbTest, EveryGoldenTranslationParses) {
  engine::Database db(TestSettings());
  engine::Connection con(db);
  int parsed = 0;
  for (const std::string& name : golden::FileNames()) {
    golden::File file = golden::Parse(golden::ReadText(golden::TestDataDir() / (name + ".test")));
    for (const golden::Case& c : file.cases) {
      Translation t = TranslateView(c.input, golden::OptionsOf(c));
      if (!t.ok()) continue;
      duckdb_extracted_statements statements = nullptr;
      idx_t count = duckdb_extract_statements(con.raw(), t.query.c_str(), &statements);
      EXPECT_EQ(count, 1u) << name << ": " << c.name << "\n"
                           << t.query << "\n"
                           << (count == 0 ? duckdb_extract_statements_error(statements) : "");
      duckdb_destroy_extracted(&statements);
      ++parsed;
    }
  }
  EXPECT_GT(parsed, 30);
}

TEST(TranslatorDuckDbTest, ReservedWordListMatchesDuckDb) {
  engine::Database db(TestSettings());
  engine::Connection con(db);
  for (const auto& row : con.Query("SELECT upper(keyword_name) FROM duckdb_keywords() WHERE keyword_category IN "
                                   "('reserved', 'type_function')")
                             .FetchAllText()) {
    EXPECT_TRUE(IsDuckDbReserved(*row[0])) << *row[0];
  }
}

TEST(TranslatorDuckDbTest, RealViewsFromTheFastTrackRepository) {
  engine::Database db(TestSettings());
  engine::Connection con(db);
  con.Execute(R"(
    CREATE TABLE ECORESPRODUCT (RECID BIGINT, PARTITION BIGINT, DISPLAYPRODUCTNUMBER VARCHAR, SEARCHNAME VARCHAR);
    CREATE TABLE SYSTEMPARAMETERS (SYSTEMLANGUAGEID VARCHAR, PARTITION BIGINT);
    CREATE TABLE REQPO (COSTAMOUNT DECIMAL(32,6), DATAAREAID VARCHAR, ITEMID VARCHAR, QTY DECIMAL(32,6),
      REFID VARCHAR, REFTYPE INTEGER, REQDATE TIMESTAMP, ITEMBOMID VARCHAR, PLANNINGPRIORITY DOUBLE,
      MODIFIEDDATETIME TIMESTAMP, PLANVERSION BIGINT, PARTITION BIGINT, COVINVENTDIMID VARCHAR, PRODUCT BIGINT);
    CREATE TABLE REQPLANVERSION (RECID BIGINT, ACTIVE INTEGER, REQPLANID VARCHAR, REQPLANDATAAREAID VARCHAR,
      PARTITION BIGINT);
    CREATE TABLE INVENTDIM (INVENTDIMID VARCHAR, DATAAREAID VARCHAR, PARTITION BIGINT);
    CREATE TABLE REQPLAN (REQPLANID VARCHAR, PLANTYPE INTEGER, NAME VARCHAR, DATAAREAID VARCHAR, PARTITION BIGINT);
    CREATE TABLE ECORESPRODUCTTRANSLATION (PRODUCT BIGINT, LANGUAGEID VARCHAR, DESCRIPTION VARCHAR,
      PARTITION BIGINT);
    CREATE TABLE RETAILENUMVALUETABLE (VALUE INTEGER, ENUMNAME VARCHAR, MEMBERNAME VARCHAR);
    INSERT INTO ECORESPRODUCT VALUES (10, 1, 'P-10', 'widget'), (11, 1, 'P-11', 'gadget');
    INSERT INTO SYSTEMPARAMETERS VALUES ('en-us', 1);
    INSERT INTO REQPO VALUES (12.5, 'usmf', 'I-1', 3, 'PO-1', 31, TIMESTAMP '2024-03-01', 'B1', 1,
      TIMESTAMP '2024-02-01 10:00:00', 100, 1, 'D1', 10),
      (7, 'usmf', 'I-2', 1, 'PO-2', 33, TIMESTAMP '2024-03-02', 'B2', 2, TIMESTAMP '2024-02-02', 101, 1, 'D1', 11);
    INSERT INTO REQPLANVERSION VALUES (100, 1, 'MASTER', 'usmf', 1), (101, 0, 'MASTER', 'usmf', 1);
    INSERT INTO INVENTDIM VALUES ('D1', 'usmf', 1);
    INSERT INTO REQPLAN VALUES ('MASTER', 0, 'Master plan', 'usmf', 1);
    INSERT INTO ECORESPRODUCTTRANSLATION VALUES (10, 'en-us', 'Widget', 1), (10, 'da', 'Dims', 1);
    INSERT INTO RETAILENUMVALUETABLE VALUES (31, 'ReqRefType', 'PlannedPurchOrder'), (33, 'ReqRefType', 'Prod');
  )");
  golden::File file = golden::Parse(golden::ReadText(golden::TestDataDir() / "real_views.test"));
  ASSERT_EQ(file.cases.size(), 2u);
  CreateView(con, file.cases[0].input);
  CreateView(con, file.cases[1].input);
  EXPECT_EQ(Rows(con, "SELECT * FROM ECORESPRODUCTSYSTEMLANGUAGE ORDER BY PRODUCT"), "10|1|10|en-us\n11|1|11|en-us\n");
  EXPECT_EQ(Rows(con, "SELECT PLANNEDORDERTYPENAME, PLANNEDORDERNUMBER, PRODUCTNUMBER, PRODUCTDESCRIPTION, "
                      "REQUIREMENTPLANDESCRIPTION, PRODUCTVERSIONID FROM REQPLANNEDORDERENTITY"),
            "PlannedPurchOrder|PO-1|P-10|Widget|Master plan|NULL\n");
}

TEST(TranslatorDuckDbTest, RepresentativeConstructsGiveTheRightValues) {
  engine::Database db(TestSettings());
  engine::Connection con(db);
  con.Execute(R"(
    CREATE TABLE DIRPARTYTABLE (RECID BIGINT, NAME VARCHAR, PARTITION BIGINT, INSTANCERELATIONTYPE INTEGER,
      VALIDFROM TIMESTAMP, VALIDTO TIMESTAMP, STARTDATE1 TIMESTAMP, MEMO VARCHAR, "KEY" VARCHAR);
    CREATE TABLE DIRPARTYLOCATION (PARTY BIGINT, LOCATIONNAME VARCHAR, ISPRIMARY INTEGER, PARTITION BIGINT);
    INSERT INTO DIRPARTYTABLE VALUES
      (1, 'Contoso', 5, 4, TIMESTAMP '2000-01-01', TIMESTAMP '2154-12-31', TIMESTAMP '2024-03-01', 'm1', 'k1'),
      (2, 'Fabrikam', 5, 7, TIMESTAMP '2000-01-01', TIMESTAMP '2001-01-01', TIMESTAMP '2024-01-01', NULL, 'k2');
    INSERT INTO DIRPARTYLOCATION VALUES
      (1, 'Seattle', 1, 5), (1, 'Oslo', 0, 5), (1, 'Bergen', 0, 5), (2, 'Rome', 1, 5);
  )");
  CreateView(con, R"(CREATE VIEW [dbo].[PARTYVIEW] AS
    SELECT T1.RECID AS RECID, T1.PARTITION AS PARTITION,
      T1.NAME + N' (' + CONVERT(NVARCHAR(10), T1.STARTDATE1, 103) + ')' AS LABEL,
      ISNULL(T1.MEMO, '') AS MEMO, IIF(T1.INSTANCERELATIONTYPE = 4, 1, 0) AS ISORG,
      CASE WHEN T1.INSTANCERELATIONTYPE = 7 THEN T1.STARTDATE1 ELSE T1.STARTDATE1 - 1 END AS DAYBEFORE,
      STUFF((SELECT ', ' + L.LOCATIONNAME FROM [dbo].DIRPARTYLOCATION L WITH (NOLOCK)
             WHERE L.PARTY = T1.RECID AND L.PARTITION = T1.PARTITION ORDER BY L.LOCATIONNAME FOR XML PATH(''), TYPE
            ).value('.', 'NVARCHAR(MAX)'), 1, LEN(', '), '') AS LOCATIONS,
      DATEDIFF(day, T1.VALIDFROM, T1.VALIDTO) AS DAYS, DATEADD(month, 1, T1.STARTDATE1) AS NEXTMONTH,
      CHARINDEX('a', T1.NAME) AS POS, LEN(T1.NAME + '  ') AS NAMELEN, T1.[KEY] AS KEY_,
      (CAST((2) AS INT)) AS ENTITYTYPE, T1.RECID AS RECID#2, convert(date, GETDATE(), 101) AS TODAY,
      YEAR(T1.STARTDATE1) AS Y, DATEPART(dw, T1.STARTDATE1) AS DW
    FROM DIRPARTYTABLE T1
    WHERE T1.VALIDFROM <= (SELECT ValidFromInContextInfo FROM [dbo].GetValidFromDateInContextInfoAsTable())
      AND T1.VALIDTO >= [dbo].GetValidToInContextInfo()
    UNION ALL
    SELECT T1.RECID, T1.PARTITION, N'x', '', 0, (CAST(('1900-01-01T00:00:00') AS DATETIME)), NULL, 0,
      NULL, 0, 0, NULL, (CAST((3) AS INT)), T1.RECID, NULL, 0, 0
    FROM DIRPARTYTABLE T1 WHERE T1.RECID = 2)");
  EXPECT_EQ(Rows(con, "SELECT RECID, LABEL, MEMO, ISORG, DAYBEFORE, LOCATIONS, DAYS, NEXTMONTH, POS, NAMELEN, KEY_, "
                      "ENTITYTYPE, TODAY = current_date, Y, DW FROM PARTYVIEW ORDER BY RECID, ENTITYTYPE"),
            "1|Contoso (01/03/2024)|m1|1|2024-02-29 00:00:00|Bergen, Oslo, Seattle|56612|2024-04-01 00:00:00|"
            "0|7|k1|2|true|2024|6\n"
            "2|x||0|1900-01-01 00:00:00|NULL|0|NULL|0|0|NULL|3|NULL|0|0\n");
  EXPECT_EQ(Rows(con, "SELECT count(*) FROM (DESCRIBE PARTYVIEW)"), "16\n");  // RECID#2 dropped in both branches
}

}  // namespace
}  // namespace cdmlake::tsql
