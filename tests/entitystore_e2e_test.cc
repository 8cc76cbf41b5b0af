// `cdmlake entitystore` end to end on generated lakes with the sample measurement SalesAnalysis: the three
// package forms import to the same measurement, the processed star schema and the cube queries equal what plain
// SQL over the raw D365 tables gives (written here from the documented semantics of the sample's views in
// src/generate/sample_measurement.cc, not from cdmlake's translation), partitioned, CSV and incremental
// processing give the same tables as a plain full run, bad packages and lakes fail cleanly without touching the
// previous output, and a killed processing leaves the previous output readable.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

const char* kMeasurement = "SalesAnalysis";

// Every entity that processing writes.
const std::vector<std::string> kEntities = {
    "SalesAnalysis_Customer",      "SalesAnalysis_Product",         "SalesAnalysis_CustomerGroup",
    "SalesAnalysis_CreatedDate",   "SalesAnalysis_ShippingDate",    "SalesAnalysis_OrderDate",
    "SalesAnalysis_DeliveryDate",  "SalesAnalysis_SalesLines",      "SalesAnalysis_SalesLines_AGG",
    "SalesAnalysis_SalesOrders",   "SalesAnalysis_SalesOrders_AGG", "SalesAnalysis_SalesLines_ROLLUP",
    "SalesAnalysis_SalesOrders_ROLLUP"};

// ----------------------------------------------------------------------------------------------------------
// Independent SQL over the raw D365 tables, from the documented semantics of the sample's views.

// Enum symbols (AxEnum values), as in the D365 sample (SalesStatus, CustVendorBlocked, ItemType,
// EcoResProductType).
const char* kEnums =
    "sales_status(v, s) AS (VALUES (0, 'None'), (1, 'Backorder'), (2, 'Delivered'), (3, 'Invoiced'), "
    "(4, 'Canceled')), "
    "blocked(v, s) AS (VALUES (0, 'No'), (1, 'Invoice'), (2, 'All')), "
    "item_type(v, s) AS (VALUES (0, 'Item'), (1, 'BOM'), (2, 'Service')), "
    "product_type(v, s) AS (VALUES (1, 'Item'), (2, 'Service'))";

// The sales lines the view chain keeps: each line with its order (same SALESID, company and partition) and its
// customer (CUSTACCOUNT = ACCOUNTNUM, company, partition), except the lines of quotations (order type 1).
const char* kFacts =
    "f AS (SELECT l.RECID, l.DATAAREAID, l.PARTITION, l.SALESID, l.ITEMID, l.CUSTACCOUNT, c.CUSTGROUP, "
    "l.LINEAMOUNT, l.SALESPRICE, l.SALESQTY, l.SALESSTATUS, CAST(l.CREATEDDATETIME AS DATE) AS CREATEDDATE, "
    "CAST(l.SHIPPINGDATEREQUESTED AS DATE) AS SHIPPINGDATE "
    "FROM Tables.SalesLine l "
    "JOIN Tables.SalesTable t ON t.SALESID = l.SALESID AND t.DATAAREAID = l.DATAAREAID AND t.PARTITION = l.PARTITION "
    "JOIN Tables.CustTable c ON c.ACCOUNTNUM = l.CUSTACCOUNT AND c.DATAAREAID = l.DATAAREAID "
    "AND c.PARTITION = l.PARTITION "
    "WHERE t.SALESTYPE <> 1)";

// One customer per CustTable row that has its party; city and country of the party's primary address valid
// now ('' without one); the company's customer groups, sorted, joined by ', '.
const char* kCustomers =
    "cust AS (SELECT c.DATAAREAID, c.ACCOUNTNUM, p.NAME, c.CUSTGROUP, c.BLOCKED, coalesce(a.CITY, '') AS CITY, "
    "coalesce(a.COUNTRYREGIONID, '') AS COUNTRY, "
    "(SELECT string_agg(g.CUSTGROUP, ', ' ORDER BY g.CUSTGROUP) FROM Tables.CustGroup g "
    " WHERE g.DATAAREAID = c.DATAAREAID AND g.PARTITION = c.PARTITION) AS GROUPS "
    "FROM Tables.CustTable c JOIN Tables.DirPartyTable p ON p.RECID = c.PARTY AND p.PARTITION = c.PARTITION "
    "LEFT JOIN Tables.LogisticsPostalAddress a ON a.LOCATION = p.PRIMARYADDRESSLOCATION "
    "AND a.PARTITION = p.PARTITION AND a.VALIDFROM <= CAST(now() AS TIMESTAMP) "
    "AND a.VALIDTO >= CAST(now() AS TIMESTAMP))";

// One product per item that has its EcoResProduct, plus one unknown member (item id '') per company with items.
const char* kProducts =
    "prod AS (SELECT i.DATAAREAID, i.ITEMID, coalesce(e.SEARCHNAME, '') AS ITEMNAME, i.ITEMTYPE, e.PRODUCTTYPE "
    "FROM Tables.InventTable i JOIN Tables.EcoResProduct e ON e.RECID = i.PRODUCT AND e.PARTITION = i.PARTITION "
    "UNION ALL SELECT DATAAREAID, '', 'Unknown item (\"n/a\")', 0, 1 FROM Tables.InventTable "
    "GROUP BY DATAAREAID, PARTITION)";

std::string With(std::initializer_list<const char*> parts, const std::string& select) {
  std::string out = "WITH ";
  bool first = true;
  for (const char* p : parts) {
    out += (first ? "" : ", ") + std::string(p);
    first = false;
  }
  return out + " " + select;
}

// ----------------------------------------------------------------------------------------------------------
// Helpers.

RunResult Es(const std::string& lake, std::vector<std::string> args, const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> all{"--lake", lake, "entitystore"};
  all.insert(all.end(), args.begin(), args.end());
  return RunCdmlake(all, "", env);
}

nlohmann::json Json(const RunResult& r) {
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.Describe();
    return nlohmann::json();
  }
}

nlohmann::json ProcessJson(const std::string& lake, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"process", kMeasurement, "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = Es(lake, args);
  EXPECT_TRUE(Succeeded(r)) << r.Describe();
  return Json(r);
}

// Data rows (header dropped) of a query; empty with a recorded failure when it fails.
Rows Query(const std::string& lake, const std::string& sql) {
  auto rows = SqlCsv(lake, sql);
  if (!rows || rows->empty()) return {};
  rows->erase(rows->begin());
  return *rows;
}

std::vector<std::string> Strings(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& v : j) out.push_back(v.get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

// Row count and an order-independent hash of every row of every processed entity.
std::map<std::string, std::string> Fingerprints(const std::string& lake) {
  std::string sql;
  for (const auto& e : kEntities) {
    if (!sql.empty()) sql += " UNION ALL ";
    sql += "SELECT '" + e + "' AS entity, count(*) || '/' || coalesce(sum(hash(x)), 0) AS fp FROM " + e + " x";
  }
  std::map<std::string, std::string> out;
  for (const auto& row : Query(lake, sql)) out[row[0]] = row[1];
  EXPECT_EQ(out.size(), kEntities.size()) << lake;
  return out;
}

// Every file below dir with its bytes.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  if (!FileExists(dir)) return out;
  for (const auto& f : ListFilesRecursive(dir)) out[f] = ReadFile(dir + "/" + f);
  return out;
}

std::string Aggregates(const std::string& lake) { return lake + "/AggregateMeasurements"; }

void ExpectRowsEqual(const Rows& actual, const Rows& expected, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i) ASSERT_EQ(actual[i], expected[i]) << what << ", row " << i;
}

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}

// Compares query output cells: text equal, or (columns in `approximate`) equal within 1e-9 relative.
void ExpectCells(const Rows& actual, const Rows& expected, const std::set<size_t>& approximate,
                 const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i].size(), expected[i].size()) << what << ", row " << i;
    for (size_t c = 0; c < actual[i].size(); ++c) {
      const std::string& a = actual[i][c];
      const std::string& e = expected[i][c];
      if (approximate.count(c)) {
        ASSERT_TRUE(IsNumber(a) && IsNumber(e)) << what << ", row " << i << " col " << c << ": " << a << " vs " << e;
        double x = std::strtod(a.c_str(), nullptr), y = std::strtod(e.c_str(), nullptr);
        EXPECT_NEAR(x, y, 1e-9 * std::max(1.0, std::fabs(y))) << what << ", row " << i << " col " << c;
      } else if (IsNumber(a) && IsNumber(e) && a.find('.') != std::string::npos) {
        EXPECT_EQ(DecimalUnits(a, 6), DecimalUnits(e, 6)) << what << ", row " << i << " col " << c;
      } else {
        EXPECT_EQ(a, e) << what << ", row " << i << " col " << c;
      }
    }
  }
}

// A cube query answered as CSV, header dropped.
Rows Cube(const std::string& lake, std::vector<std::string> args) {
  std::vector<std::string> all{"query", kMeasurement};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"--format", "csv"});
  RunResult r = Es(lake, all);
  EXPECT_TRUE(Succeeded(r)) << r.Describe();
  Rows rows;
  try {
    rows = ParseCsv(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what() << "\n" << r.Describe();
  }
  if (!rows.empty()) rows.erase(rows.begin());
  return rows;
}

std::string Explain(const std::string& lake, std::vector<std::string> args) {
  std::vector<std::string> all{"query", kMeasurement};
  all.insert(all.end(), args.begin(), args.end());
  all.push_back("--explain");
  RunResult r = Es(lake, all);
  EXPECT_TRUE(Succeeded(r)) << r.Describe();
  return r.out.substr(0, r.out.find('\n'));
}

bool Generate(const std::string& out, int seed, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"-q", "generate", "--out", out, "--scale", "2000", "--seed", std::to_string(seed)};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = RunCdmlake(args);
  EXPECT_TRUE(Succeeded(r)) << r.Describe();
  return r.exit_code == 0;
}

bool Import(const std::string& lake, const std::string& package) {
  RunResult r = Es(lake, {"import", package});
  EXPECT_TRUE(Succeeded(r)) << r.Describe();
  return r.exit_code == 0;
}

// The folder holding the leaf manifest of a generated table.
std::string ManifestFolder(const std::string& lake, const std::string& table) {
  for (const auto& t : GeneratedTables()) {
    if (t.name == table) return lake + "/" + t.manifest_folder;
  }
  ADD_FAILURE() << "unknown table " << table;
  return "";
}

// Removes a table from a generated lake: its declaration, its entity document and its data.
void RemoveTable(const std::string& lake, const std::string& table) {
  const std::string folder = ManifestFolder(lake, table);
  for (const auto& manifest : ListFiles(folder, ".manifest.cdm.json")) {
    nlohmann::ordered_json m = nlohmann::ordered_json::parse(ReadFile(manifest));
    nlohmann::ordered_json kept = nlohmann::ordered_json::array();
    for (const auto& e : m["entities"]) {
      if (e.value("entityName", "") != table) kept.push_back(e);
    }
    m["entities"] = kept;
    WriteFile(manifest, m.dump(2));
  }
  fs::remove_all(GeneratedDataFolder(lake, table));
}

// ----------------------------------------------------------------------------------------------------------
// A lake (scale 2000, no changes) with SalesAnalysis imported from the EMEX zip and processed as Parquet.

class EntityStoreE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cdmlake-e2e-es");
    ready_ = Generate(lake(), 17) && Import(lake(), lake() + "/EntityStore/SalesAnalysis.zip");
    if (ready_) {
      RunResult r = Es(lake(), {"process", kMeasurement});
      EXPECT_TRUE(Succeeded(r)) << r.Describe();
      ready_ = r.exit_code == 0;
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "the shared lake could not be generated, imported or processed"; }
  static std::string lake() { return *dir_ / "lake"; }
  // A copy of the processed shared lake, for tests that change it.
  static std::string CopyLake(const TempDir& dir, const std::string& name = "lake") {
    CopyTree(lake(), dir / name);
    return dir / name;
  }
  static TempDir* dir_;
  static bool ready_;
};
TempDir* EntityStoreE2E::dir_ = nullptr;
bool EntityStoreE2E::ready_ = false;

// 1. EMEX zip, AOT XML folder and .axpp describe the same measurement.
TEST_F(EntityStoreE2E, ThePackageFormsImportTheSameMeasurement) {
  TempDir dir("cdmlake-e2e-es-import");
  const std::string store = dir / "store";
  struct Imported {
    nlohmann::json list;
    std::string ddl, synapse;
  };
  std::map<std::string, Imported> by_form;
  for (const std::string form : {"SalesAnalysis.zip", "SalesAnalysis-aot", "SalesAnalysis.axpp"}) {
    SCOPED_TRACE(form);
    const std::string package = lake() + "/EntityStore/" + form;
    ASSERT_TRUE(Import(store, package));
    RunResult list = Es(store, {"list", "--format", "json"});
    ASSERT_TRUE(Succeeded(list)) << list.Describe();
    nlohmann::json j = Json(list);
    ASSERT_EQ(j.size(), 1u) << list.out;
    EXPECT_EQ(j[0]["origin"], package);
    j[0].erase("origin");
    RunResult ddl = Es(store, {"ddl", kMeasurement});
    ASSERT_TRUE(Succeeded(ddl)) << ddl.Describe();
    RunResult synapse = Es(store, {"ddl", kMeasurement, "--dialect", "synapse"});
    ASSERT_TRUE(Succeeded(synapse)) << synapse.Describe();
    by_form[form] = {j, ddl.out, synapse.out};
  }
  const Imported& emex = by_form["SalesAnalysis.zip"];
  // The measurement as the sample defines it.
  const nlohmann::json& m = emex.list[0];
  EXPECT_EQ(m["name"], kMeasurement);
  ASSERT_EQ(m["measure_groups"].size(), 2u);
  EXPECT_EQ(m["measure_groups"][0]["name"], "SalesLines");
  EXPECT_EQ(m["measure_groups"][0]["measures"].size(), 7u);
  EXPECT_EQ(m["measure_groups"][1]["name"], "SalesOrders");
  std::map<std::string, std::string> aggregates;
  for (const auto& g : m["measure_groups"])
    for (const auto& measure : g["measures"]) aggregates[measure["name"]] = measure["aggregate"];
  EXPECT_EQ(aggregates["NumberOfCustomers"], "DistinctCount");
  EXPECT_EQ(aggregates["AveragePrice"], "AverageOfChildren");
  EXPECT_EQ(aggregates["MinLineAmount"], "Min");
  EXPECT_EQ(m["dimensions"].size(), 7u);

  // Same metadata from every form.
  EXPECT_EQ(by_form["SalesAnalysis-aot"].list, emex.list) << "AOT XML folder";
  EXPECT_EQ(by_form["SalesAnalysis.axpp"].list, emex.list) << ".axpp";

  // The DDL: the D365 views (their SQL from views\dependencies.csv in EMEX, ViewDefinitions/*.sql in the AOT
  // folder and the .axpp), dependencies before dependents, then one view per dimension and measure group.
  for (const std::string form : {"SalesAnalysis-aot", "SalesAnalysis.axpp"}) {
    EXPECT_EQ(by_form[form].ddl, emex.ddl) << form;
    EXPECT_EQ(by_form[form].synapse, emex.synapse) << form;
  }
  std::vector<std::string> order;
  for (size_t at = emex.ddl.find("CREATE OR REPLACE VIEW \""); at != std::string::npos;
       at = emex.ddl.find("CREATE OR REPLACE VIEW \"", at + 1)) {
    const size_t start = at + 24;
    order.push_back(emex.ddl.substr(start, emex.ddl.find('"', start) - start));
  }
  EXPECT_EQ(order.size(), 5u + 7u + 2u) << emex.ddl;
  auto pos = [&](const std::string& v) {
    auto it = std::find(order.begin(), order.end(), v);
    EXPECT_NE(it, order.end()) << v << " is not created";
    return it - order.begin();
  };
  EXPECT_LT(pos("SALESLINEBASEVIEW"), pos("SALESLINECUSTOMERVIEW"));
  EXPECT_LT(pos("SALESLINECUSTOMERVIEW"), pos("SALESLINECUBEVIEW"));
  EXPECT_LT(pos("SALESLINECUBEVIEW"), pos("SalesAnalysis_SalesLines"));
  EXPECT_LT(pos("CUSTOMERDIMENSIONVIEW"), pos("SalesAnalysis_Customer"));
  EXPECT_LT(pos("PRODUCTDIMENSIONVIEW"), pos("SalesAnalysis_Product"));
  EXPECT_TRUE(Contains(emex.synapse, "CROSS JOIN")) << "the Synapse dialect keeps the views' T-SQL";
}

// 2. The processed star schema against the raw tables.
TEST_F(EntityStoreE2E, ProcessedTablesMatchTheSourceTables) {
  // The fact rows: one per kept sales line, with its values, enum label, dates and month.
  const std::string fact_columns =
      "RECID, DATAAREAID, SALESID, ITEMID, CUSTACCOUNT, CUSTGROUP, SALESAMOUNT, SALESQUANTITY, AVERAGEPRICE, "
      "NUMBEROFLINES, SALESSTATUS_VALUE, SALESSTATUS, CREATEDDATE, SHIPPINGDATE, CREATEDMONTH";
  Rows fact = Query(lake(), "SELECT " + fact_columns + " FROM SalesAnalysis_SalesLines ORDER BY RECID");
  Rows expected_fact = Query(
      lake(), With({kEnums, kFacts},
                   "SELECT f.RECID, f.DATAAREAID, f.SALESID, f.ITEMID, f.CUSTACCOUNT, f.CUSTGROUP, f.LINEAMOUNT, "
                   "f.SALESQTY, f.SALESPRICE, 1, f.SALESSTATUS, s.s, f.CREATEDDATE, f.SHIPPINGDATE, "
                   "strftime(f.CREATEDDATE, '%Y-%m') FROM f LEFT JOIN sales_status s ON s.v = f.SALESSTATUS "
                   "ORDER BY f.RECID"));
  const std::string expected_count = SqlScalar(lake(), With({kFacts}, "SELECT count(*) FROM f"));
  EXPECT_EQ(SqlScalar(lake(), "SELECT count(*) FROM SalesAnalysis_SalesLines"), expected_count);
  // Quotations exist in the data and are left out.
  EXPECT_NE(SqlScalar(lake(), "SELECT count(*) FROM Tables.SalesLine"), expected_count);
  ASSERT_GT(expected_fact.size(), 1000u);
  ExpectRowsEqual(fact, expected_fact, "SalesAnalysis_SalesLines");
  // Several statuses occur, so the labels are really checked.
  EXPECT_GE(std::stoi(SqlScalar(lake(), "SELECT count(DISTINCT SALESSTATUS) FROM SalesAnalysis_SalesLines")), 3);

  // Sums per company.
  ExpectRowsEqual(Query(lake(), "SELECT DATAAREAID, CAST(sum(SALESAMOUNT) AS DECIMAL(38, 6)) FROM "
                                "SalesAnalysis_SalesLines GROUP BY 1 ORDER BY 1"),
                  Query(lake(), With({kFacts}, "SELECT DATAAREAID, CAST(sum(LINEAMOUNT) AS DECIMAL(38, 6)) FROM f "
                                               "GROUP BY 1 ORDER BY 1")),
                  "SALESAMOUNT per company");

  // Dimensions: keys unique and not null, rows as the views define them.
  for (const std::string ref : {"Customer", "Product", "CustomerGroup", "CreatedDate"}) {
    const std::string table = "SalesAnalysis_" + ref, key = "SalesAnalysis_" + ref + "_FK";
    EXPECT_EQ(SqlScalar(lake(), "SELECT count(*) - count(DISTINCT " + key + ") FROM " + table), "0") << table;
    EXPECT_EQ(SqlScalar(lake(), "SELECT count(*) FROM " + table + " WHERE " + key + " IS NULL"), "0") << table;
  }
  ExpectRowsEqual(
      Query(lake(), "SELECT DATAAREAID, CUSTOMER, CUSTOMERNAME, CUSTOMERGROUP, BLOCKED_VALUE, BLOCKED, CITY, COUNTRY, "
                    "COMPANYCUSTOMERGROUPS FROM SalesAnalysis_Customer ORDER BY ALL"),
      Query(lake(), With({kEnums, kCustomers},
                         "SELECT c.DATAAREAID, c.ACCOUNTNUM, c.NAME, c.CUSTGROUP, c.BLOCKED, b.s, c.CITY, c.COUNTRY, "
                         "c.GROUPS FROM cust c LEFT JOIN blocked b ON b.v = c.BLOCKED ORDER BY ALL")),
      "SalesAnalysis_Customer");
  ExpectRowsEqual(
      Query(lake(), "SELECT DATAAREAID, PRODUCT, ITEMNAME, ITEMTYPE_VALUE, ITEMTYPE, PRODUCTTYPE_VALUE, PRODUCTTYPE "
                    "FROM SalesAnalysis_Product ORDER BY ALL"),
      Query(lake(), With({kEnums, kProducts},
                         "SELECT p.DATAAREAID, p.ITEMID, p.ITEMNAME, p.ITEMTYPE, i.s, p.PRODUCTTYPE, t.s FROM prod p "
                         "LEFT JOIN item_type i ON i.v = p.ITEMTYPE LEFT JOIN product_type t ON t.v = p.PRODUCTTYPE "
                         "ORDER BY ALL")),
      "SalesAnalysis_Product");
  EXPECT_GE(std::stoi(SqlScalar(lake(), "SELECT count(DISTINCT ITEMTYPE) FROM SalesAnalysis_Product")), 2);
  ExpectRowsEqual(Query(lake(), "SELECT DATAAREAID, CUSTOMERGROUP, GROUPNAME FROM SalesAnalysis_CustomerGroup "
                                "ORDER BY ALL"),
                  Query(lake(), "SELECT DATAAREAID, CUSTGROUP, NAME FROM Tables.CustGroup ORDER BY ALL"),
                  "SalesAnalysis_CustomerGroup");
  // The calendar: every day of the whole years from the first to the last date of the facts' date fields.
  const std::string dates =
      "d AS (SELECT CREATEDDATE AS d FROM f UNION ALL SELECT SHIPPINGDATE FROM f "
      "UNION ALL SELECT CAST(CREATEDDATETIME AS DATE) FROM Tables.SalesTable "
      "UNION ALL SELECT CAST(DELIVERYDATE AS DATE) FROM Tables.SalesTable), "
      "y AS (SELECT make_date(year(min(d)), 1, 1) AS a, make_date(year(max(d)), 12, 31) AS b FROM d)";
  EXPECT_EQ(
      SqlScalar(lake(), "SELECT min(DATEKEY) || '/' || max(DATEKEY) || '/' || count(*) FROM SalesAnalysis_CreatedDate"),
      SqlScalar(lake(), With({kFacts, dates.c_str()}, "SELECT a || '/' || b || '/' || (b - a + 1) FROM y")));
  EXPECT_EQ(SqlScalar(lake(), "SELECT count(*) FROM SalesAnalysis_CreatedDate WHERE DATEKEY <> DATE OR YEAR <> "
                              "year(DATEKEY) OR MONTH <> month(DATEKEY) OR DAY <> day(DATEKEY)"),
            "0");

  // Every fact row joins exactly one row of each dimension, except where the source has no such row.
  struct Relation {
    std::string ref;
    std::string orphans;  // independent: the fact rows whose dimension row does not exist in the sources
  };
  const std::vector<Relation> relations = {
      {"Customer", With({kFacts, kCustomers}, "SELECT count(*) FROM f WHERE NOT EXISTS (SELECT 1 FROM cust c WHERE "
                                              "c.DATAAREAID = f.DATAAREAID AND c.ACCOUNTNUM = f.CUSTACCOUNT)")},
      {"Product", With({kFacts, kProducts}, "SELECT count(*) FROM f WHERE NOT EXISTS (SELECT 1 FROM prod p WHERE "
                                            "p.DATAAREAID = f.DATAAREAID AND p.ITEMID = coalesce(f.ITEMID, ''))")},
      {"CustomerGroup", With({kFacts}, "SELECT count(*) FROM f WHERE NOT EXISTS (SELECT 1 FROM Tables.CustGroup g "
                                       "WHERE g.DATAAREAID = f.DATAAREAID AND g.CUSTGROUP = f.CUSTGROUP)")},
      {"CreatedDate", With({kFacts}, "SELECT count(*) FROM f WHERE CREATEDDATE IS NULL")},
  };
  for (const auto& r : relations) {
    const std::string table = "SalesAnalysis_" + r.ref, key = "SalesAnalysis_" + r.ref + "_FK";
    const std::string not_one = SqlScalar(
        lake(), "SELECT count(*) FROM SalesAnalysis_SalesLines x WHERE (SELECT count(*) FROM " + table +
                    " d WHERE d." + key + " = x." + key + ") <> 1");
    EXPECT_EQ(not_one, SqlScalar(lake(), r.orphans)) << r.ref;
    // The aggregate table's keys join the same way.
    if (not_one == "0") {
      EXPECT_EQ(SqlScalar(lake(), "SELECT count(*) FROM SalesAnalysis_SalesLines_AGG x WHERE (SELECT count(*) FROM " +
                                      table + " d WHERE d." + key + " = x." + key + ") <> 1"),
                "0")
          << r.ref;
    }
  }
  // The aggregate table adds up to the fact table.
  EXPECT_EQ(SqlScalar(lake(), "SELECT sum(__ROWS) || '/' || sum(NUMBEROFLINES) || '/' || sum(SALESAMOUNT) FROM "
                              "SalesAnalysis_SalesLines_AGG"),
            SqlScalar(lake(), With({kFacts}, "SELECT count(*) || '/' || count(*) || '/' || "
                                             "CAST(sum(LINEAMOUNT) AS DECIMAL(38, 6)) FROM f")));
}

// 3. Cube queries against independent SQL, cell by cell.
TEST_F(EntityStoreE2E, QueriesEqualIndependentSql) {
  const std::vector<std::string> by_year_country = {
      "--measure", "SalesAmount,NumberOfLines,AveragePrice,MinLineAmount,MaxLineAmount", "--by",
      "CreatedDate.YEAR,Customer.COUNTRY"};
  EXPECT_TRUE(Contains(Explain(lake(), by_year_country), "rollup (set Customer|CreatedDate)"))
      << "sums, counts, averages, min and max by two coarse attributes are answered from the rollup";
  Rows actual = Cube(lake(), by_year_country);
  Rows expected = Query(
      lake(), With({kFacts, kCustomers},
                   "SELECT year(f.CREATEDDATE), c.COUNTRY, CAST(sum(f.LINEAMOUNT) AS DECIMAL(38, 6)), count(*), "
                   "avg(f.SALESPRICE), min(f.LINEAMOUNT), max(f.LINEAMOUNT) FROM f LEFT JOIN cust c ON "
                   "c.DATAAREAID = f.DATAAREAID AND c.ACCOUNTNUM = f.CUSTACCOUNT GROUP BY 1, 2 ORDER BY 1, 2"));
  ASSERT_GE(expected.size(), 6u);
  ExpectCells(actual, expected, {4}, "SalesAmount... by CreatedDate.YEAR, Customer.COUNTRY");

  // Every grouping set of the rollup adds up to the whole fact.
  EXPECT_EQ(SqlScalar(lake(), "SELECT count(DISTINCT s) || '/' || min(s) FROM (SELECT __SET, sum(__ROWS) || '/' || "
                              "sum(SALESAMOUNT) AS s FROM SalesAnalysis_SalesLines_ROLLUP GROUP BY __SET)"),
            "1/" + SqlScalar(lake(), With({kFacts}, "SELECT count(*) || '/' || CAST(sum(LINEAMOUNT) AS "
                                                    "DECIMAL(38, 6)) FROM f")));

  // Three dimensions are more than a rollup set holds: the aggregate table answers, with the same semantics.
  const std::vector<std::string> by_three = {"--measure", "SalesAmount,NumberOfLines,AveragePrice,MinLineAmount",
                                             "--by", "CreatedDate.YEAR,Customer.COUNTRY,ShippingDate.QUARTER"};
  EXPECT_TRUE(Contains(Explain(lake(), by_three), "aggregate table"));
  Rows three = Cube(lake(), by_three);
  Rows expected_three = Query(
      lake(), With({kFacts, kCustomers},
                   "SELECT year(f.CREATEDDATE), c.COUNTRY, quarter(f.SHIPPINGDATE), "
                   "CAST(sum(f.LINEAMOUNT) AS DECIMAL(38, 6)), count(*), avg(f.SALESPRICE), min(f.LINEAMOUNT) "
                   "FROM f LEFT JOIN cust c ON c.DATAAREAID = f.DATAAREAID AND c.ACCOUNTNUM = f.CUSTACCOUNT "
                   "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"));
  ASSERT_GE(expected_three.size(), 12u);
  ExpectCells(three, expected_three, {5}, "SalesAmount... by CreatedDate.YEAR, Customer.COUNTRY, ShippingDate.QUARTER");

  // A distinct count is exact per group (not a sum of distinct counts of the aggregate's finer groups).
  const std::vector<std::string> customers_by_type = {"--measure", "NumberOfCustomers", "--by", "Product.ITEMTYPE"};
  EXPECT_TRUE(Contains(Explain(lake(), customers_by_type), "fact table"));
  Rows distinct = Cube(lake(), customers_by_type);
  Rows expected_distinct = Query(
      lake(), With({kEnums, kFacts, kProducts},
                   "SELECT t.s, count(DISTINCT f.CUSTACCOUNT) FROM f LEFT JOIN prod p ON p.DATAAREAID = f.DATAAREAID "
                   "AND p.ITEMID = f.ITEMID LEFT JOIN item_type t ON t.v = p.ITEMTYPE GROUP BY 1 ORDER BY 1"));
  ASSERT_GE(expected_distinct.size(), 2u);
  ExpectCells(distinct, expected_distinct, {}, "NumberOfCustomers by Product.ITEMTYPE");
  // The aggregate table's rows are finer than item types: adding their distinct counts would give more.
  EXPECT_NE(SqlScalar(lake(), "SELECT sum(NUMBEROFCUSTOMERS) FROM SalesAnalysis_SalesLines_AGG"),
            SqlScalar(lake(), With({kFacts}, "SELECT count(DISTINCT CUSTACCOUNT) FROM f")));

  // A filter on a dimension attribute.
  Rows filtered = Cube(lake(), {"--measure", "SalesAmount,NumberOfLines,NumberOfCustomers", "--by",
                                "CustomerGroup.GROUPNAME", "--where", "Customer.COUNTRY = 'USA'"});
  Rows expected_filtered = Query(
      lake(), With({kFacts, kCustomers},
                   "SELECT g.NAME, CAST(sum(f.LINEAMOUNT) AS DECIMAL(38, 6)), count(*), count(DISTINCT f.CUSTACCOUNT) "
                   "FROM f LEFT JOIN cust c ON c.DATAAREAID = f.DATAAREAID AND c.ACCOUNTNUM = f.CUSTACCOUNT "
                   "LEFT JOIN Tables.CustGroup g ON g.DATAAREAID = f.DATAAREAID AND g.CUSTGROUP = f.CUSTGROUP "
                   "WHERE c.COUNTRY = 'USA' GROUP BY 1 ORDER BY 1"));
  ASSERT_GE(expected_filtered.size(), 2u);
  ExpectCells(filtered, expected_filtered, {}, "by CustomerGroup.GROUPNAME where Customer.COUNTRY = 'USA'");

  // The same filter on the aggregate path.
  Rows filtered_agg = Cube(lake(), {"--measure", "SalesAmount,MaxLineAmount", "--by", "CreatedDate.YEAR", "--where",
                                    "Customer.COUNTRY = 'DEU' AND CreatedDate.YEAR >= 2021"});
  Rows expected_filtered_agg = Query(
      lake(), With({kFacts, kCustomers},
                   "SELECT year(f.CREATEDDATE), CAST(sum(f.LINEAMOUNT) AS DECIMAL(38, 6)), max(f.LINEAMOUNT) FROM f "
                   "LEFT JOIN cust c ON c.DATAAREAID = f.DATAAREAID AND c.ACCOUNTNUM = f.CUSTACCOUNT "
                   "WHERE c.COUNTRY = 'DEU' AND year(f.CREATEDDATE) >= 2021 GROUP BY 1 ORDER BY 1"));
  ASSERT_GE(expected_filtered_agg.size(), 2u);
  ExpectCells(filtered_agg, expected_filtered_agg, {}, "by CreatedDate.YEAR where Customer.COUNTRY = 'DEU'");
}

// 4. Partitioning the processing plan does not change the tables.
TEST_F(EntityStoreE2E, PartitionedProcessingGivesTheSameTables) {
  TempDir dir("cdmlake-e2e-es-part");
  const std::string three = CopyLake(dir);
  nlohmann::json report = ProcessJson(three, {"--partitions", "3"});
  EXPECT_EQ(report["rows"]["SalesAnalysis_SalesLines"],
            std::stoll(SqlScalar(lake(), "SELECT count(*) FROM SalesAnalysis_SalesLines")));
  const auto expected = Fingerprints(lake());
  EXPECT_EQ(Fingerprints(three), expected);
  // And back to one partition in the same lake.
  ProcessJson(three, {"--partitions", "1"});
  EXPECT_EQ(Fingerprints(three), expected);
}

// 6. CSV output reads back with the same values as Parquet.
TEST_F(EntityStoreE2E, CsvOutputReadsBackLikeParquet) {
  TempDir dir("cdmlake-e2e-es-csv");
  const std::string csv = CopyLake(dir);
  ProcessJson(csv, {"--output-format", "csv"});
  const auto files = ListFilesRecursive(Aggregates(csv) + "/SalesAnalysis_SalesLines");
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [](const std::string& f) { return f.ends_with(".csv"); }));
  EXPECT_FALSE(std::any_of(files.begin(), files.end(), [](const std::string& f) { return f.ends_with(".parquet"); }));
  EXPECT_EQ(Fingerprints(csv), Fingerprints(lake()));
  // Text-level check of a table with strings that need quoting (commas, quotes) and timestamps.
  for (const std::string table : {"SalesAnalysis_Customer", "SalesAnalysis_Product", "SalesAnalysis_SalesLines"}) {
    ExpectRowsEqual(Query(csv, "SELECT * FROM " + table + " ORDER BY ALL"),
                    Query(lake(), "SELECT * FROM " + table + " ORDER BY ALL"), table);
  }
}

// 7a. Unknown measurement.
TEST_F(EntityStoreE2E, UnknownMeasurementListsTheImportedOnes) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"process", "NoSuchMeasure"}, {"ddl", "NoSuchMeasure"},
        {"query", "NoSuchMeasure", "--measure", "SalesAmount"}}) {
    RunResult r = Es(lake(), args);
    EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
    EXPECT_TRUE(Contains(r.err, "NoSuchMeasure")) << r.err;
    EXPECT_TRUE(Contains(r.err, "SalesAnalysis")) << "the message lists the imported measurements: " << r.err;
  }
  RunResult bad_measure = Es(lake(), {"query", kMeasurement, "--measure", "NoSuchMeasure"});
  EXPECT_TRUE(FailedCleanly(bad_measure));
  EXPECT_TRUE(Contains(bad_measure.err, "NoSuchMeasure")) << bad_measure.err;
}

// 7b. Missing source tables: all of them are reported at once, and the previous output stays as it was.
TEST_F(EntityStoreE2E, MissingSourceTablesAreAllReportedAndNothingIsWritten) {
  TempDir dir("cdmlake-e2e-es-missing");
  const std::string copy = CopyLake(dir);
  const auto before = Snapshot(Aggregates(copy));
  ASSERT_FALSE(before.empty());
  RemoveTable(copy, "CustGroup");
  RemoveTable(copy, "EcoResProduct");
  RunResult r = Es(copy, {"process", kMeasurement});
  EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
  EXPECT_TRUE(Contains(r.err, "CUSTGROUP")) << r.err;
  EXPECT_TRUE(Contains(r.err, "ECORESPRODUCT")) << r.err;
  EXPECT_TRUE(Contains(r.err, "2 problem")) << r.err;
  EXPECT_EQ(Snapshot(Aggregates(copy)), before) << "a failed processing must not touch the previous output";
  EXPECT_EQ(Fingerprints(copy), Fingerprints(lake()));
  // Incremental processing fails the same way.
  RunResult incremental = Es(copy, {"process", kMeasurement, "--incremental"});
  EXPECT_TRUE(FailedCleanly(incremental));
  EXPECT_TRUE(Contains(incremental.err, "CUSTGROUP") && Contains(incremental.err, "ECORESPRODUCT")) << incremental.err;
  EXPECT_EQ(Snapshot(Aggregates(copy)), before);
}

// 7b'. A table still declared by its manifest whose entity document and data are gone.
TEST_F(EntityStoreE2E, DeclaredTableWithoutItsDocumentIsNamed) {
  TempDir dir("cdmlake-e2e-es-nodoc");
  const std::string copy = CopyLake(dir);
  const auto before = Snapshot(Aggregates(copy));
  fs::remove(ManifestFolder(copy, "CustGroup") + "/CustGroup.cdm.json");
  fs::remove_all(GeneratedDataFolder(copy, "CustGroup"));
  RunResult r = Es(copy, {"process", kMeasurement});
  EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
  EXPECT_TRUE(Contains(r.err, "CustGroup") || Contains(r.err, "CUSTGROUP")) << r.err;
  EXPECT_FALSE(Contains(r.err, "Binder Error")) << r.err;
  EXPECT_EQ(Snapshot(Aggregates(copy)), before);
}

// 7c. Bad packages: unsupported T-SQL, a cycle, malformed XML and JSON, a missing dimension.
TEST_F(EntityStoreE2E, BadPackagesFailNamingTheProblem) {
  TempDir dir("cdmlake-e2e-es-badpkg");
  const std::string copy = CopyLake(dir);
  const std::string aot = lake() + "/EntityStore/SalesAnalysis-aot";
  const auto before = Snapshot(Aggregates(copy));

  // A view definition with CROSS APPLY: imported, but processing names the view, the file and the construct.
  {
    const std::string pkg = dir / "apply";
    CopyTree(aot, pkg);
    WriteFile(pkg + "/ViewDefinitions/SALESLINECUBEVIEW.sql",
              "CREATE VIEW [dbo].[SALESLINECUBEVIEW] AS SELECT T1.SALESID AS SALESID,X.N AS N\r\n"
              "FROM SALESLINECUSTOMERVIEW T1\r\nCROSS APPLY (SELECT 1 AS N) X");
    ASSERT_TRUE(Import(copy, pkg));
    RunResult r = Es(copy, {"process", kMeasurement});
    EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
    EXPECT_TRUE(Contains(r.err, "SALESLINECUBEVIEW")) << r.err;
    EXPECT_TRUE(Contains(r.err, "CROSS APPLY")) << r.err;
    EXPECT_TRUE(Contains(r.err, "SALESLINECUBEVIEW.sql")) << r.err;
    EXPECT_EQ(Snapshot(Aggregates(copy)), before);
    ASSERT_TRUE(Import(copy, lake() + "/EntityStore/SalesAnalysis.zip"));
  }
  // Two views that read each other.
  {
    const std::string pkg = dir / "cycle";
    CopyTree(aot, pkg);
    WriteFile(pkg + "/ViewDefinitions/SALESLINECUSTOMERVIEW.sql",
              "CREATE VIEW [dbo].[SALESLINECUSTOMERVIEW] AS SELECT T1.SALESID AS SALESID FROM SALESLINECUBEVIEW T1");
    RunResult r = Es(copy, {"import", pkg});
    EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
    EXPECT_TRUE(Contains(r.err, "cycle")) << r.err;
    EXPECT_TRUE(Contains(r.err, "SALESLINECUBEVIEW") && Contains(r.err, "SALESLINECUSTOMERVIEW")) << r.err;
  }
  // Malformed XML.
  {
    const std::string pkg = dir / "xml";
    CopyTree(aot, pkg);
    const std::string file = pkg + "/AxAggregateDimension/Customer.xml";
    const std::string text = ReadFile(file);
    WriteFile(file, text.substr(0, text.size() / 2));
    RunResult r = Es(copy, {"import", pkg});
    EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
    EXPECT_TRUE(Contains(r.err, "AxAggregateDimension/Customer.xml")) << r.err;
  }
  // A missing dimension file.
  {
    const std::string pkg = dir / "nodim";
    CopyTree(aot, pkg);
    fs::remove(pkg + "/AxAggregateDimension/Product.xml");
    RunResult r = Es(copy, {"import", pkg});
    EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
    EXPECT_TRUE(Contains(r.err, "dimension Product")) << r.err;
  }
  // Malformed JSON in an EMEX package.
  {
    const std::string pkg = dir / "bad.zip";
    WriteStoredZip(pkg, {{"manifest.json", "{\"MeasureName\": \"SalesAnalysis\", \"Version\": \"2.9.0.0\"}"},
                         {"measurement.json", "{\"Name\": \"SalesAnalysis\", \"MeasureGroups\": [ {"}});
    RunResult r = Es(copy, {"import", pkg});
    EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
    EXPECT_TRUE(Contains(r.err, "measurement.json")) << r.err;
    EXPECT_TRUE(Contains(r.err, "bad.zip")) << r.err;
  }
  // Malformed JSON in the lake's measurement store.
  {
    const std::string store = dir / "store";
    fs::create_directories(store);
    CopyTree(copy + "/_cdmlake", store + "/_cdmlake");
    std::string package;
    for (const auto& f : ListFilesRecursive(store)) {
      if (f.ends_with("package.json")) package = store + "/" + f;
    }
    ASSERT_FALSE(package.empty());
    WriteFile(package, "{\"measurement\": ");
    RunResult r = Es(store, {"list"});
    EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
    EXPECT_TRUE(Contains(r.err, "package.json")) << r.err;
  }
  // The failed imports left the good measurement in place, and the output untouched.
  EXPECT_EQ(Snapshot(Aggregates(copy)), before);
  ASSERT_TRUE(Succeeded(Es(copy, {"process", kMeasurement})));
  EXPECT_EQ(Fingerprints(copy), Fingerprints(lake()));
}

// ----------------------------------------------------------------------------------------------------------
// 5. Incremental processing over a lake with a change feed.

TEST(EntityStoreIncrementalE2E, IncrementalEqualsFullAndRebuildsOnlyWhatChanged) {
  TempDir dir("cdmlake-e2e-es-incr");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(Generate(lake, 23, {"--changes", "5"}));
  ASSERT_TRUE(Import(lake, lake + "/EntityStore/SalesAnalysis.zip"));
  nlohmann::json first = ProcessJson(lake, {"--incremental"});
  EXPECT_EQ(first["full"], true);
  EXPECT_EQ(Strings(first["rebuilt"]).size(), kEntities.size());
  const auto before_refresh = Fingerprints(lake);

  ASSERT_TRUE(Succeeded(RunCdmlake({"--lake", lake, "lake", "refresh"})));
  nlohmann::json incremental = ProcessJson(lake, {"--incremental"});
  EXPECT_EQ(incremental["full"], false) << incremental.dump(2);
  EXPECT_EQ(Strings(incremental["changed_tables"]), (std::vector<std::string>{"CUSTTABLE", "SALESLINE", "SALESTABLE"}));
  // Product and CustomerGroup read none of the changed tables; the calendars cover the same years as before.
  EXPECT_EQ(Strings(incremental["kept"]),
            (std::vector<std::string>{"SalesAnalysis_CreatedDate", "SalesAnalysis_CustomerGroup",
                                      "SalesAnalysis_DeliveryDate", "SalesAnalysis_OrderDate", "SalesAnalysis_Product",
                                      "SalesAnalysis_ShippingDate"}));
  const auto after_incremental = Fingerprints(lake);
  EXPECT_NE(after_incremental.at("SalesAnalysis_SalesLines"), before_refresh.at("SalesAnalysis_SalesLines"));
  // The refreshed facts equal the view chain over the refreshed tables.
  EXPECT_EQ(SqlScalar(lake, "SELECT count(*) || '/' || sum(SALESAMOUNT) FROM SalesAnalysis_SalesLines"),
            SqlScalar(lake, With({kFacts}, "SELECT count(*) || '/' || CAST(sum(LINEAMOUNT) AS DECIMAL(38, 6)) FROM f")));

  // Nothing changed: nothing written.
  const std::string manifest = Aggregates(lake) + "/SalesAnalysis.manifest.cdm.json";
  const auto files = Snapshot(Aggregates(lake));
  const auto mtime = fs::last_write_time(manifest);
  RunResult again = Es(lake, {"process", kMeasurement, "--incremental"});
  ASSERT_TRUE(Succeeded(again)) << again.Describe();
  EXPECT_TRUE(Contains(again.out, "nothing changed")) << again.out;
  EXPECT_EQ(fs::last_write_time(manifest), mtime);
  EXPECT_EQ(Snapshot(Aggregates(lake)), files);
  nlohmann::json again_json = ProcessJson(lake, {"--incremental"});
  EXPECT_EQ(again_json["manifest"], "");
  EXPECT_TRUE(again_json["rebuilt"].empty()) << again_json.dump(2);

  // A full process gives the same tables.
  ProcessJson(lake);
  EXPECT_EQ(Fingerprints(lake), after_incremental) << "incremental processing must equal a full one";

  // Only CustGroup changes (a group renamed, one added in usmf): the customer group dimension and the customer
  // dimension (CUSTOMERDIMENSIONVIEW lists the company's groups from CUSTGROUP) are rebuilt, nothing else.
  const std::string custgroup = ListFiles(GeneratedDataFolder(lake, "CustGroup"), ".csv").at(0);
  std::string text = ReadFile(custgroup);
  const std::string old_name = "\"Intercompany customers\"";
  const size_t at = text.find(old_name);
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, old_name.size(), "\"Intercompany, \"\"renamed\"\"\"");
  if (!text.ends_with("\n")) text += "\n";
  WriteFile(custgroup, text + "35637199999,\"50\",\"New group\",\"Net30\",\"usmf\",5637144576,1\n");
  nlohmann::json group_run = ProcessJson(lake, {"--incremental"});
  EXPECT_EQ(group_run["full"], false);
  EXPECT_EQ(Strings(group_run["changed_tables"]), std::vector<std::string>{"CUSTGROUP"});
  // The rollups group by customer and customer group attributes, so they are rebuilt too, from the kept
  // aggregates.
  EXPECT_EQ(Strings(group_run["rebuilt"]),
            (std::vector<std::string>{"SalesAnalysis_Customer", "SalesAnalysis_CustomerGroup",
                                      "SalesAnalysis_SalesLines_ROLLUP", "SalesAnalysis_SalesOrders_ROLLUP"}));
  EXPECT_EQ(group_run["kept"].size(), kEntities.size() - 4);
  EXPECT_EQ(SqlScalar(lake, "SELECT GROUPNAME FROM SalesAnalysis_CustomerGroup WHERE CUSTOMERGROUP = '90'"),
            "Intercompany, \"renamed\"");
  EXPECT_EQ(SqlScalar(lake, "SELECT count(*) FROM SalesAnalysis_CustomerGroup"),
            SqlScalar(lake, "SELECT count(*) FROM Tables.CustGroup"));
  EXPECT_EQ(SqlScalar(lake, "SELECT DISTINCT COMPANYCUSTOMERGROUPS FROM SalesAnalysis_Customer WHERE DATAAREAID = 'usmf'"),
            "10, 20, 30, 40, 50");
  const auto after_group = Fingerprints(lake);
  ProcessJson(lake);
  EXPECT_EQ(Fingerprints(lake), after_group) << "incremental processing must equal a full one";
}

// ----------------------------------------------------------------------------------------------------------
// 6. Sub-table incremental processing: the changed rows of a refreshed table applied as a delta.

// Moves the change files of a change-feed table between the lake and a holding folder.
void MoveChangeFiles(const std::string& from, const std::string& to) {
  fs::create_directories(to);
  for (const auto& f : ListFiles(from, ".csv")) fs::rename(f, to + "/" + fs::path(f).filename().string());
}

std::string CsvLine(const CsvRecord& record) {
  std::string line;
  for (size_t i = 0; i < record.cells.size(); ++i) {
    const CsvCell& c = record.cells[i];
    if (i) line += ",";
    if (!c.quoted) {
      line += c.text;
      continue;
    }
    line += "\"";
    for (char ch : c.text) line += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    line += "\"";
  }
  return line + "\n";
}

// Writes a change file with one change (`action`: INSERT or DELETE) of a SalesLine row: a copy of a change row of
// an order the fact keeps, with the RECID `recid`, the creation date `created` (ISO) and the LSN `lsn` (32 hex
// digits, above every change already applied).
void ChangeSalesLine(const std::string& lake, const std::string& file, int64_t recid, const std::string& created,
                     const std::string& lsn, const std::string& action = "INSERT",
                     const std::map<std::string, std::string>& set = {}) {
  const std::string feed = lake + "/ChangeFeed/SALESLINE";
  nlohmann::json document = nlohmann::json::parse(ReadFile(lake + "/ChangeFeed/SALESLINE.cdm.json"));
  std::map<std::string, size_t> at;
  const auto& attributes = document["definitions"][0]["hasAttributes"];
  for (size_t i = 0; i < attributes.size(); ++i) at[attributes[i]["name"].get<std::string>()] = i;
  std::set<std::string> orders;
  for (const auto& row : Query(lake, "SELECT DISTINCT SALESID FROM SalesAnalysis_SalesLines")) orders.insert(row[0]);
  std::vector<std::string> files = ListFiles(feed, ".csv");
  ASSERT_FALSE(files.empty());
  for (const CsvRecord& r : ParseCsvFiles(files)) {
    if (r.cells.at(at.at("DML_Action")).text == "BEFORE_UPDATE" || !orders.count(r.cells.at(at.at("SALESID")).text)) {
      continue;
    }
    CsvRecord insert = r;
    insert.cells[at.at("Start_LSN")] = {"0X" + lsn, false};
    insert.cells[at.at("Seq_Val")] = {"0X00000000000000000001", false};
    insert.cells[at.at("DML_Action")] = {action, false};
    insert.cells[at.at("RECID")] = {std::to_string(recid), false};
    insert.cells[at.at("CREATEDDATETIME")] = {created, true};
    for (const auto& [column, value] : set) insert.cells[at.at(column)] = {value, true};
    WriteFile(feed + "/" + file, CsvLine(insert));
    return;
  }
  FAIL() << "no change row of a kept order in " << feed;
}

bool Refresh(const std::string& lake, const std::vector<std::string>& tables) {
  std::vector<std::string> args{"--lake", lake, "lake", "refresh"};
  for (const auto& t : tables) args.insert(args.end(), {"--table", t});
  RunResult r = RunCdmlake(args);
  EXPECT_TRUE(Succeeded(r)) << r.Describe();
  return r.exit_code == 0;
}

bool Has(const nlohmann::json& list, const std::string& name) {
  for (const auto& v : list) {
    if (v.get<std::string>() == name) return true;
  }
  return false;
}

// The rollup bases kept in the state folder: one file or bucket folder per fact.
std::vector<std::string> KeptBases(const std::string& lake) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(lake + "/_cdmlake/entitystore/SalesAnalysis/rollups")) {
    out.push_back(entry.path().filename().string());
  }
  return out;
}

// The SalesLines rollup base's files by bucket (its folders "__cdmlake_bucket=<month>") -> their inodes.
std::map<std::string, std::vector<ino_t>> BaseBucketFiles(const std::string& lake) {
  std::map<std::string, std::vector<ino_t>> out;
  for (const auto& entry : fs::directory_iterator(lake + "/_cdmlake/entitystore/SalesAnalysis/rollups")) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.rfind("SalesAnalysis_SalesLines-", 0) != 0) continue;
    for (const auto& bucket : fs::directory_iterator(entry.path())) {
      for (const auto& f : fs::directory_iterator(bucket.path())) {
        struct stat st {};
        if (::stat(f.path().c_str(), &st) == 0) out[bucket.path().filename().string()].push_back(st.st_ino);
      }
    }
  }
  return out;
}

// An incremental run equals a full process of the same lake, entity by entity (rows and a hash of every row,
// aggregates, rollups and calendars included); returns the incremental run's report.
nlohmann::json IncrementalEqualsFull(const std::string& lake, const std::function<void()>& after_incremental = {}) {
  nlohmann::json report = ProcessJson(lake, {"--incremental"});
  if (after_incremental) after_incremental();
  EXPECT_EQ(report["full"], false) << report.dump(2);
  // One rollup base kept per fact (the next run updates it), the superseded ones removed.
  EXPECT_EQ(KeptBases(lake).size(), 2u);
  const auto incremental = Fingerprints(lake);
  ProcessJson(lake);
  EXPECT_EQ(Fingerprints(lake), incremental) << "incremental processing must equal a full one\n" << report.dump(2);
  return report;
}

// The data files of a processed entity's current version by partition folder (the month), with their inodes: a
// file carried over by an incremental run keeps its inode, a rewritten one gets a new one.
std::map<std::string, std::vector<ino_t>> PartitionFiles(const std::string& lake, const std::string& entity) {
  std::map<std::string, std::vector<ino_t>> out;
  for (const auto& version : fs::directory_iterator(lake + "/AggregateMeasurements/" + entity)) {
    for (const auto& f : fs::recursive_directory_iterator(version.path())) {
      if (!f.is_regular_file() || f.path().extension() != ".parquet") continue;
      struct stat st {};
      if (::stat(f.path().c_str(), &st) == 0) out[f.path().parent_path().filename().string()].push_back(st.st_ino);
    }
  }
  return out;
}

// The rollup's rows of SalesLines by group (the set and its attribute values) -> its measures.
std::map<std::string, std::string> RollupGroups(const std::string& lake) {
  const std::string entity = "SalesAnalysis_SalesLines_ROLLUP";
  std::vector<std::string> attributes;
  for (const auto& row : Query(lake, "SELECT column_name FROM (DESCRIBE " + entity + ")")) {
    if (row[0].find("__") != std::string::npos && !row[0].starts_with("__") && !row[0].ends_with("__SUM") &&
        !row[0].ends_with("__COUNT")) {
      attributes.push_back("coalesce(CAST(\"" + row[0] + "\" AS VARCHAR), '<null>')");
    }
  }
  std::string group = "__SET";
  for (const auto& a : attributes) group += " || '|' || " + a;
  std::map<std::string, std::string> out;
  for (const auto& row : Query(lake, "SELECT " + group + ", __ROWS || '/' || SALESAMOUNT || '/' || MAXLINEAMOUNT || '/' || "
                                     "MINLINEAMOUNT FROM " + entity)) {
    out[row[0]] = row[1];
  }
  return out;
}

// Rows of the SalesLines rollup in a set with Product whose Product attributes are all NULL.
int64_t NullProductGroups(const std::string& lake) {
  const std::string entity = "SalesAnalysis_SalesLines_ROLLUP";
  std::string where = "contains(__SET, 'Product')";
  for (const auto& row : Query(lake, "SELECT column_name FROM (DESCRIBE " + entity + ")")) {
    if (row[0].starts_with("Product__")) where += " AND \"" + row[0] + "\" IS NULL";
  }
  return std::stoll(SqlScalar(lake, "SELECT count(*) FROM " + entity + " WHERE " + where));
}

// The MAXLINEAMOUNT of a rollup row's measures ("rows/sum/max/min").
double MaxOf(const std::string& measures) {
  size_t first = measures.find('/'), second = measures.find('/', first + 1);
  return std::stod(measures.substr(second + 1, measures.find('/', second + 1) - second - 1));
}

TEST(EntityStoreIncrementalE2E, ChangedRowsAreAppliedAsDeltasAndEqualAFullProcess) {
  TempDir dir("cdmlake-e2e-es-delta");
  const std::string lake = dir / "lake";
  const std::string held = dir / "held";
  ASSERT_TRUE(Generate(lake, 29, {"--changes", "5"}));
  ASSERT_TRUE(Import(lake, lake + "/EntityStore/SalesAnalysis.zip"));
  for (const char* table : {"SALESLINE", "SALESTABLE", "CUSTTABLE"}) {
    MoveChangeFiles(lake + "/ChangeFeed/" + table, held + "/" + table);
  }
  ProcessJson(lake);

  // (1) A CSV edited in place has no change set: its facts are recomputed whole.
  {
    const std::string file = ListFiles(GeneratedDataFolder(lake, "SalesLine"), ".csv").at(0);
    std::vector<CsvRecord> records = ParseCsvRecords(ReadFile(file));
    ASSERT_GT(records.size(), 10u);
    std::string text;
    for (size_t i = 0; i < records.size(); ++i) {
      if (i % 10 == 0) records[i].cells.at(2).text = std::to_string(std::stoll(records[i].cells.at(2).text) + 100);
      text += CsvLine(records[i]);
    }
    WriteFile(file, text);
    nlohmann::json report = IncrementalEqualsFull(lake);
    EXPECT_TRUE(report["updated"].empty()) << report.dump(2);
    ASSERT_EQ(report["fallbacks"].size(), 1u) << report.dump(2);
    EXPECT_TRUE(Contains(report["fallbacks"][0].get<std::string>(), "SALESLINE has no change set")) << report.dump(2);
  }

  // The refresh states of the snapshots (no changes yet): from now on the three tables are read from Parquet.
  ASSERT_TRUE(Refresh(lake, {}));
  ProcessJson(lake);

  // (2) Inserts, updates and deletes of SalesLine: the SalesLines fact and its aggregate are updated from the
  // changed rows; SalesOrders (which does not read SalesLine) is kept, calendars or not.
  {
    MoveChangeFiles(held + "/SALESLINE", lake + "/ChangeFeed/SALESLINE");
    ASSERT_TRUE(Refresh(lake, {"SalesLine"}));
    nlohmann::json report = IncrementalEqualsFull(lake);
    EXPECT_EQ(Strings(report["changed_tables"]), std::vector<std::string>{"SALESLINE"});
    // The rollup is updated from its kept base: a Min or Max that left falls back on the next kept extreme.
    EXPECT_EQ(Strings(report["updated"]),
              (std::vector<std::string>{"SalesAnalysis_SalesLines", "SalesAnalysis_SalesLines_ROLLUP"}))
        << report.dump(2);
    EXPECT_TRUE(report["fallbacks"].empty()) << report.dump(2);
    for (const char* kept : {"SalesAnalysis_SalesOrders", "SalesAnalysis_SalesOrders_AGG", "SalesAnalysis_Customer",
                             "SalesAnalysis_Product"}) {
      EXPECT_TRUE(Has(report["kept"], kept)) << kept << "\n" << report.dump(2);
      EXPECT_FALSE(Has(report["rebuilt"], kept)) << kept << "\n" << report.dump(2);
    }
    EXPECT_TRUE(Has(report["rebuilt"], "SalesAnalysis_SalesLines_AGG")) << report.dump(2);
    EXPECT_TRUE(Has(report["rebuilt"], "SalesAnalysis_SalesLines_ROLLUP")) << report.dump(2);
  }

  // (2b) The rollup updated per touched group: the line with the largest amount deleted (the Max of every
  // group holding it must be recomputed), a line whose customer and product occur together in no other line
  // deleted (its "Customer|Product" group disappears), and a line of an unknown item inserted (new groups, their
  // Product attributes NULL). Then (2c) that line deleted again: groups with NULL keys disappear.
  {
    const std::string fact = "SalesAnalysis_SalesLines";
    const std::string top = SqlScalar(lake, "SELECT RECID FROM " + fact + " ORDER BY LINEAMOUNT DESC, RECID LIMIT 1");
    const std::string alone = SqlScalar(
        lake, "SELECT min(RECID) FROM " + fact + " f WHERE (SELECT count(*) FROM " + fact +
                  " g WHERE g.SalesAnalysis_Customer_FK = f.SalesAnalysis_Customer_FK AND "
                  "g.SalesAnalysis_Product_FK = f.SalesAnalysis_Product_FK) = 1 AND RECID <> " + top);
    ASSERT_NE(alone, "");
    const auto before = RollupGroups(lake);
    ASSERT_EQ(NullProductGroups(lake), 0);
    ChangeSalesLine(lake, "SALESLINE_890_01.csv", std::stoll(top), "2022-02-03T00:00:00.0000000Z",
                    "7FFFFFFE000000000000000000000000", "DELETE");
    ChangeSalesLine(lake, "SALESLINE_890_02.csv", std::stoll(alone), "2022-02-03T00:00:00.0000000Z",
                    "7FFFFFFE100000000000000000000000", "DELETE");
    ChangeSalesLine(lake, "SALESLINE_890_03.csv", 99999999890, "2022-02-03T00:00:00.0000000Z",
                    "7FFFFFFE200000000000000000000000", "INSERT", {{"ITEMID", "NO-SUCH-ITEM"}});
    ASSERT_TRUE(Refresh(lake, {"SalesLine"}));
    nlohmann::json report = IncrementalEqualsFull(lake);
    EXPECT_EQ(Strings(report["updated"]),
              (std::vector<std::string>{"SalesAnalysis_SalesLines", "SalesAnalysis_SalesLines_ROLLUP"}))
        << report.dump(2);
    EXPECT_TRUE(report["fallbacks"].empty()) << report.dump(2);
    const auto after = RollupGroups(lake);
    int vanished = 0, appeared = 0, lower_max = 0;
    for (const auto& [group, measures] : before) {
      auto it = after.find(group);
      if (it == after.end()) {
        ++vanished;
      } else if (MaxOf(it->second) < MaxOf(measures)) {
        ++lower_max;
      }
    }
    for (const auto& [group, measures] : after) {
      if (!before.count(group)) ++appeared;
    }
    EXPECT_GT(vanished, 0) << "a group whose only line was deleted must disappear";
    EXPECT_GT(lower_max, 0) << "groups whose largest line was deleted keep a smaller Max";
    EXPECT_GT(appeared, 0);
    EXPECT_GT(NullProductGroups(lake), 0) << "the unknown item's groups have NULL Product attributes";

    ChangeSalesLine(lake, "SALESLINE_891_01.csv", 99999999890, "2022-02-03T00:00:00.0000000Z",
                    "7FFFFFFE300000000000000000000000", "DELETE");
    ASSERT_TRUE(Refresh(lake, {"SalesLine"}));
    report = IncrementalEqualsFull(lake);
    EXPECT_TRUE(Has(report["updated"], "SalesAnalysis_SalesLines_ROLLUP")) << report.dump(2);
    EXPECT_EQ(RollupGroups(lake).size(), after.size() - static_cast<size_t>(appeared));
    EXPECT_EQ(NullProductGroups(lake), 0);
  }

  // (2c) A base group that loses every Max and Min it kept: five lines of one order, one item, on five Tuesdays of
  // March 2022 (the base keeps the month and the weekday, not the day: five aggregate rows in one base group),
  // then the four largest deleted. The group is recomputed from the aggregate, reading March 2022 only; that one
  // month of the fact is rewritten.
  {
    const char* days[] = {"01", "08", "15", "22", "29"};
    for (int i = 0; i < 5; ++i) {
      char file[64], lsn[64];
      std::snprintf(file, sizeof file, "SALESLINE_893_%02d.csv", i);
      std::snprintf(lsn, sizeof lsn, "7FFFFFFE31%022d", i);
      ChangeSalesLine(lake, file, 99999999893 + i, std::string("2022-03-") + days[i] + "T00:00:00.0000000Z", lsn,
                      "INSERT", {{"LINEAMOUNT", std::to_string(100 * (i + 1)) + ".00"}});
    }
    ASSERT_TRUE(Refresh(lake, {"SalesLine"}));
    // The rollup's base is kept by month: the bucket of March 2022 is written again, every other one carried over
    // as the same file.
    const auto buckets_before = BaseBucketFiles(lake);
    ASSERT_GT(buckets_before.size(), 12u);
    ASSERT_TRUE(buckets_before.count("__cdmlake_bucket=2022-03"));
    nlohmann::json report = IncrementalEqualsFull(lake, [&] {
      auto after = BaseBucketFiles(lake);
      ASSERT_EQ(after.size(), buckets_before.size());
      EXPECT_NE(after.at("__cdmlake_bucket=2022-03"), buckets_before.at("__cdmlake_bucket=2022-03"));
      after.erase("__cdmlake_bucket=2022-03");
      auto untouched = buckets_before;
      untouched.erase("__cdmlake_bucket=2022-03");
      EXPECT_EQ(after, untouched) << "the buckets without a change keep their files";
    });
    EXPECT_EQ(report["rewritten_months"]["SalesAnalysis_SalesLines"], nlohmann::json::array({"2022-03"}))
        << report.dump(2);
    for (int i = 1; i < 5; ++i) {
      char file[64], lsn[64];
      std::snprintf(file, sizeof file, "SALESLINE_894_%02d.csv", i);
      std::snprintf(lsn, sizeof lsn, "7FFFFFFE32%022d", i);
      ChangeSalesLine(lake, file, 99999999893 + i, std::string("2022-03-") + days[i] + "T00:00:00.0000000Z", lsn,
                      "DELETE");
    }
    ASSERT_TRUE(Refresh(lake, {"SalesLine"}));
    report = IncrementalEqualsFull(lake);
    EXPECT_TRUE(Has(report["updated"], "SalesAnalysis_SalesLines_ROLLUP")) << report.dump(2);
    EXPECT_TRUE(report["fallbacks"].empty()) << report.dump(2);
    EXPECT_EQ(report["rewritten_months"]["SalesAnalysis_SalesLines_AGG"], nlohmann::json::array({"2022-03"}))
        << report.dump(2);
    EXPECT_GT(report["recomputed_groups"].value("SalesAnalysis_SalesLines_ROLLUP", 0), 0) << report.dump(2);
  }

  // (2d) A damaged kept base (overwritten by hand) costs a recompute of the rollup, not the run.
  {
    std::vector<std::string> bases;
    const std::string folder = lake + "/_cdmlake/entitystore/SalesAnalysis/rollups/";
    for (const auto& file : ListFilesRecursive(folder)) {
      if (file.size() > 8 && file.compare(file.size() - 8, 8, ".parquet") == 0) bases.push_back(folder + file);
    }
    ASSERT_GT(bases.size(), 2u);
    for (const auto& file : bases) {
      fs::remove(file);  // a hard link may share the file with an older base: replace it, do not write through
      WriteFile(file, "not a Parquet file");
    }
    ChangeSalesLine(lake, "SALESLINE_892_01.csv", 99999999892, "2022-02-03T00:00:00.0000000Z",
                    "7FFFFFFE400000000000000000000000");
    ASSERT_TRUE(Refresh(lake, {"SalesLine"}));
    nlohmann::json report = IncrementalEqualsFull(lake);
    EXPECT_TRUE(Has(report["updated"], "SalesAnalysis_SalesLines")) << report.dump(2);
    EXPECT_FALSE(Has(report["updated"], "SalesAnalysis_SalesLines_ROLLUP")) << report.dump(2);
    ASSERT_EQ(report["fallbacks"].size(), 1u) << report.dump(2);
    EXPECT_TRUE(Contains(report["fallbacks"][0].get<std::string>(),
                         "SalesAnalysis_SalesLines_ROLLUP: its kept base could not be read"))
        << report.dump(2);
  }

  // (3) A line created in a later year: the calendars grow, and SalesOrders is still kept. The fact and its
  // aggregate are written by month: the new month is written, every other month's file is carried over.
  {
    const auto fact_before = PartitionFiles(lake, "SalesAnalysis_SalesLines");
    const auto aggregate_before = PartitionFiles(lake, "SalesAnalysis_SalesLines_AGG");
    ASSERT_GT(fact_before.size(), 12u);
    ASSERT_FALSE(fact_before.count("2031-06"));
    ChangeSalesLine(lake, "SALESLINE_900_01.csv", 99999999901, "2031-06-15T00:00:00.0000000Z",
                    "7FFFFFFF000000000000000000000000");
    ASSERT_TRUE(Refresh(lake, {"SalesLine"}));
    nlohmann::json report = IncrementalEqualsFull(lake, [&] {
      for (const auto& [entity, before] : {std::pair("SalesAnalysis_SalesLines", fact_before),
                                           std::pair("SalesAnalysis_SalesLines_AGG", aggregate_before)}) {
        auto after = PartitionFiles(lake, entity);
        EXPECT_EQ(after.count("2031-06"), 1u) << entity;
        after.erase("2031-06");
        EXPECT_EQ(after, before) << entity << ": the months without a change keep their files";
      }
    });
    EXPECT_EQ(Strings(report["updated"]), std::vector<std::string>{"SalesAnalysis_SalesLines"}) << report.dump(2);
    // The calendars it groups by are rewritten: the rollup is recomputed, and the report says why.
    ASSERT_EQ(report["fallbacks"].size(), 1u) << report.dump(2);
    EXPECT_TRUE(Contains(report["fallbacks"][0].get<std::string>(), "SalesAnalysis_SalesLines_ROLLUP: ")) << report.dump(2);
    EXPECT_TRUE(Contains(report["fallbacks"][0].get<std::string>(), "was rebuilt")) << report.dump(2);
    for (const char* calendar : {"SalesAnalysis_CreatedDate", "SalesAnalysis_ShippingDate", "SalesAnalysis_OrderDate",
                                 "SalesAnalysis_DeliveryDate"}) {
      EXPECT_TRUE(Has(report["rebuilt"], calendar)) << calendar << "\n" << report.dump(2);
    }
    EXPECT_TRUE(Has(report["kept"], "SalesAnalysis_SalesOrders")) << report.dump(2);
    EXPECT_EQ(SqlScalar(lake, "SELECT max(YEAR) FROM SalesAnalysis_OrderDate"), "2031");
  }

  // (4) The same line deleted again (its date was the range's last): the calendars shrink back.
  {
    ChangeSalesLine(lake, "SALESLINE_901_01.csv", 99999999901, "2031-06-15T00:00:00.0000000Z",
                    "7FFFFFFF100000000000000000000000", "DELETE");
    ASSERT_TRUE(Refresh(lake, {"SalesLine"}));
    nlohmann::json report = IncrementalEqualsFull(lake);
    EXPECT_TRUE(Has(report["updated"], "SalesAnalysis_SalesLines")) << report.dump(2);
    EXPECT_FALSE(Has(report["updated"], "SalesAnalysis_SalesLines_ROLLUP")) << report.dump(2);
    EXPECT_TRUE(Has(report["rebuilt"], "SalesAnalysis_CreatedDate")) << report.dump(2);
    EXPECT_NE(SqlScalar(lake, "SELECT max(YEAR) FROM SalesAnalysis_OrderDate"), "2031");
  }

  // (5) A joined table (CustTable, inner-joined by the fact views): updated as a delta too, in every fact that
  // reads it.
  {
    MoveChangeFiles(held + "/CUSTTABLE", lake + "/ChangeFeed/CUSTTABLE");
    ASSERT_TRUE(Refresh(lake, {"CustTable"}));
    nlohmann::json report = IncrementalEqualsFull(lake);
    EXPECT_TRUE(Has(report["updated"], "SalesAnalysis_SalesLines")) << report.dump(2);
    // The Customer dimension reads CustTable too: the rollups group by it, so they are recomputed.
    for (const auto& f : report["fallbacks"]) {
      EXPECT_TRUE(Contains(f.get<std::string>(), "_ROLLUP: SalesAnalysis_Customer was rebuilt")) << report.dump(2);
    }
  }

  // (6) Two tables of a fact changed in one run: that fact is recomputed whole.
  {
    MoveChangeFiles(held + "/SALESTABLE", lake + "/ChangeFeed/SALESTABLE");
    ChangeSalesLine(lake, "SALESLINE_902_01.csv", 99999999902, "2022-02-02T00:00:00.0000000Z",
                    "7FFFFFFF200000000000000000000000");
    ASSERT_TRUE(Refresh(lake, {}));
    nlohmann::json report = IncrementalEqualsFull(lake);
    bool found = false;
    for (const auto& f : report["fallbacks"]) {
      found = found || Contains(f.get<std::string>(), "SalesAnalysis_SalesLines: 2 of its tables changed");
    }
    EXPECT_TRUE(found) << report.dump(2);
    EXPECT_FALSE(Has(report["updated"], "SalesAnalysis_SalesLines")) << report.dump(2);
  }
}

// ----------------------------------------------------------------------------------------------------------
// 8. Crash safety.

TEST(EntityStoreCrashE2E, KilledProcessingLeavesThePreviousOutputReadable) {
  TempDir dir("cdmlake-e2e-es-crash");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(Generate(lake, 29, {"--changes", "5"}));
  ASSERT_TRUE(Import(lake, lake + "/EntityStore/SalesAnalysis.zip"));
  // Version A from the raw snapshot, version B after `lake refresh`; moving the refresh state away and back
  // switches the sources between the two.
  const std::string state = lake + "/_cdmlake/refresh", parked = dir / "refresh-state";
  ASSERT_TRUE(Succeeded(Es(lake, {"process", kMeasurement})));
  const auto a = Fingerprints(lake);
  ASSERT_TRUE(Succeeded(RunCdmlake({"--lake", lake, "lake", "refresh"})));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Succeeded(Es(lake, {"process", kMeasurement})));
  auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  const auto b = Fingerprints(lake);
  ASSERT_NE(a, b);
  auto use = [&](bool version_b) {
    if (version_b && !FileExists(state)) fs::rename(parked, state);
    if (!version_b && FileExists(state)) fs::rename(state, parked);
  };

  // Named crash points of the commit: before the manifest the old version stays, after it the new one is read.
  use(false);
  for (const char* point : {"after-data", "before-manifest"}) {
    RunResult r = Es(lake, {"process", kMeasurement}, {{"CDMLAKE_CRASH_AT", point}});
    EXPECT_TRUE(r.signaled) << point << "\n" << r.Describe();
    EXPECT_EQ(Fingerprints(lake), b) << "killed at " << point << ": the previous output must be read";
  }
  RunResult committed = Es(lake, {"process", kMeasurement}, {{"CDMLAKE_CRASH_AT", "after-manifest"}});
  EXPECT_TRUE(committed.signaled) << committed.Describe();
  EXPECT_EQ(Fingerprints(lake), a) << "killed after the manifest: the new output is committed";

  // Kills at random moments, alternating the version being written.
  std::mt19937 random(4242);
  std::map<std::string, std::string> current = a;
  int kills = 0;
  // Kill within the run time of the fastest complete run seen, so that most attempts die before the commit.
  int64_t bound = took.count();
  for (int attempt = 0; attempt < 6; ++attempt) {
    const bool to_b = current == a;
    use(to_b);
    std::uniform_int_distribution<int64_t> when(0, bound);
    auto started = std::chrono::steady_clock::now();
    bool killed = RunAndKill({"--lake", lake, "entitystore", "process", kMeasurement},
                             std::chrono::microseconds(when(random)));
    if (!killed) {
      auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
      bound = std::min(bound, elapsed.count() * 9 / 10);
    }
    kills += killed;
    const auto seen = Fingerprints(lake);
    ASSERT_TRUE(seen == a || seen == b) << "after " << (killed ? "a kill" : "a finished run")
                                        << " the output is neither the previous nor the new version";
    if (!killed) {
      EXPECT_EQ(seen, to_b ? b : a);
    }
    current = seen;
  }
  EXPECT_GE(kills, 3) << "most runs finished before the kill; the test did not exercise the commit";

  // A rerun succeeds, gives the new version and leaves one version folder per entity.
  use(true);
  ASSERT_TRUE(Succeeded(Es(lake, {"process", kMeasurement})));
  EXPECT_EQ(Fingerprints(lake), b);
  for (const auto& e : kEntities) {
    std::set<std::string> versions;
    for (const auto& f : ListFilesRecursive(Aggregates(lake) + "/" + e)) versions.insert(f.substr(0, f.find('/')));
    EXPECT_EQ(versions.size(), 1u) << e << ": the leftovers of killed runs are removed";
  }
}

}  // namespace
}  // namespace cdmlake_e2e
