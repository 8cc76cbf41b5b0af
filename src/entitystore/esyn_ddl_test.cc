#include "entitystore/esyn_ddl.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "entitystore/test_util.h"
#include "util/error.h"
#include "util/strings.h"

// Golden tests of `--compat esyn`: each test builds a small package in C++, renders every statement and warning
// as text, and compares it with testdata/esyn/<test>.sql. CDMLAKE_UPDATE_GOLDEN=1 rewrites the files; review
// the diff before committing it. The key rule of each test is also asserted directly, so a wrong golden cannot
// pass unnoticed.

namespace cdmlake::entitystore {
namespace {

using namespace ::cdmlake::entitystore::testing;

// ---- golden files -----------------------------------------------------------------------------------------

const char* KindName(EsynStatement::Kind kind) {
  switch (kind) {
    case EsynStatement::Kind::kD365View:
      return "d365 view";
    case EsynStatement::Kind::kDimensionView:
      return "dimension view";
    case EsynStatement::Kind::kFactView:
      return "fact view";
  }
  return "?";
}

std::string Render(const EsynDdl& ddl) {
  std::string out;
  for (const EsynStatement& statement : ddl.statements) {
    out += "-- " + std::string(KindName(statement.kind)) + " " + statement.name;
    if (!statement.measure_group.empty()) out += " (measure group " + statement.measure_group + ")";
    out += "\n" + statement.sql + "\n\n";
  }
  for (const std::string& warning : ddl.warnings) out += "-- warning: " + warning + "\n";
  return out;
}

// Builds, renders and compares; returns the DDL for direct assertions.
EsynDdl Golden(const std::string& name, const MetadataPackage& package) {
  EsynDdl ddl = BuildEsynDdl(package);
  ExpectGolden("esyn", name, Render(ddl));
  return ddl;
}

const EsynStatement* Find(const EsynDdl& ddl, const std::string& name) {
  for (const EsynStatement& statement : ddl.statements) {
    if (statement.name == name) return &statement;
  }
  return nullptr;
}

std::string Sql(const EsynDdl& ddl, const std::string& name) {
  const EsynStatement* statement = Find(ddl, name);
  return statement == nullptr ? "<no statement " + name + ">" : statement->sql;
}

// ---- §3.3 reserved words ----------------------------------------------------------------------------------

TEST(EsynDdlTest, ReservedWordsTakeFourAliasForms) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Facts", "FactTable");
  group.attributes.push_back(Attr("Count", "", {"Key"}));         // both reserved
  group.attributes.push_back(Attr("Code", "", {"comment"}));      // field reserved, lower case kept
  group.attributes.push_back(Attr("key", "", {"Account"}));       // name reserved
  group.attributes.push_back(Attr("Region", "", {"Region"}));     // neither
  group.measures.push_back(Meas("Comment", "Amount"));            // measure alias reserved
  group.dimensions.push_back(RefRelations("Item", "Item", {{{"Key", "Key"}}}));  // constraints: no reserved handling
  package.measurement.measure_groups.push_back(group);
  AddTable(&package, "FactTable", false);
  AddTable(&package, "ItemTable", false);
  AddDimension(&package, "Item", "ItemTable", {Attr("Item", "", {"Key", "count", "Id"}, true)});

  EsynDdl ddl = Golden("reserved_words", package);
  const std::string fact = Sql(ddl, "M_Facts");
  EXPECT_TRUE(Contains(fact, "SELECT Key_ AS COUNT_,comment_ AS CODE,Account AS KEY_,Region AS REGION,"));
  EXPECT_TRUE(Contains(fact, "Amount AS COMMENT_,Key AS KEY,Key AS M_Item_FK,"));
  EXPECT_TRUE(Contains(Sql(ddl, "M_Item"), "ROW_NUMBER() OVER(ORDER BY KEY_,COUNT_,ID) AS M_Item_FK,"));
}

// ---- §3.4 fact views ----------------------------------------------------------------------------------------

TEST(EsynDdlTest, AttributeWithSeveralKeyFieldsAliasesAllButTheNameField) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Facts", "FactTable");
  group.attributes.push_back(Attr("Order", "SalesId", {"SalesId", "LineNum", "salesid"}));
  group.attributes.push_back(Attr("Site", "SiteName", {"SiteId"}));  // one key field: the attribute name
  group.attributes.push_back(Attr("DataAreaId", "", {"Company"}));   // removes DATAAREAID from common
  package.measurement.measure_groups.push_back(group);

  EsynDdl ddl = Golden("attribute_key_fields", package);
  EXPECT_EQ(Sql(ddl, "M_Facts"),
            "CREATE OR ALTER VIEW M_Facts AS SELECT SalesId AS ORDER,LineNum AS LINENUM,salesid AS SALESID,"
            "SiteId AS SITE,Company AS DATAAREAID,RECID,PARTITION FROM FactTable");
  ASSERT_EQ(ddl.warnings.size(), 1u);
  EXPECT_EQ(ddl.warnings[0], "M_Facts: views\\FACTTABLE.json not found: FactTable is read as a table, no view "
                             "fields emitted");
}

TEST(EsynDdlTest, ViewFieldsComeFirstAndDropAMeasureOfTheSameName) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Rentals", "RentalView");
  group.measures.push_back(Meas("Amount", "Amount"));    // equals a view field: dropped
  group.measures.push_back(Meas("Total", "LineAmount"));  // kept
  package.measurement.measure_groups.push_back(group);
  AddView(&package, "RentalView", {"RentalId", "amount", "RecId", "LineAmount"});

  EsynDdl ddl = Golden("view_fields_drop_measure", package);
  EXPECT_EQ(Sql(ddl, "M_Rentals"),
            "CREATE OR ALTER VIEW M_Rentals AS SELECT RentalId AS RENTALID,amount AS AMOUNT,RecId AS RECID,"
            "LineAmount AS LINEAMOUNT,LineAmount AS TOTAL,PARTITION,DATAAREAID FROM RentalView");
  ASSERT_EQ(ddl.warnings.size(), 1u);
  EXPECT_TRUE(Contains(ddl.warnings[0], "measure Amount dropped"));
}

TEST(EsynDdlTest, MeasureNullAndBlankCases) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Facts", "FactView");
  group.measures.push_back(Meas(std::nullopt, std::nullopt));   // skipped
  group.measures.push_back(Meas("NoRentals", std::nullopt));    // 1 AS NAME
  group.measures.push_back(Meas("Count", std::nullopt));        // 1 AS NAME_
  group.measures.push_back(Meas(std::nullopt, "Qty"));          // 1 AS FIELD
  group.measures.push_back(Meas(std::nullopt, "RecId"));        // 1 AS RECID, RECID stays in common
  group.measures.push_back(Meas("Partition", "  "));            // blank Field: bare NAME
  group.measures.push_back(Meas("Price", "SalesPrice"));
  package.measurement.measure_groups.push_back(group);
  AddView(&package, "FactView", {});

  EsynDdl ddl = Golden("measure_null_cases", package);
  EXPECT_EQ(Sql(ddl, "M_Facts"),
            "CREATE OR ALTER VIEW M_Facts AS SELECT 1 AS NORENTALS,1 AS COUNT_,1 AS QTY,1 AS RECID,PARTITION,"
            "SalesPrice AS PRICE,DATAAREAID FROM FactView");
}

TEST(EsynDdlTest, CompositeRelationKeepsDuplicateColumnsInTheConcatAndDuplicatesTheFk) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Facts", "FactView");
  // Two relations on one reference: the fk alias appears twice. CustAccount is also a view field, so its
  // constraint column is a duplicate insert, yet it stays in the CONCAT.
  group.dimensions.push_back(RefRelations("Customer", "Customer",
                                 {{{"CustAccount", "CustAccount"}, {"DataAreaId", "DataAreaId"}},
                                  {{"InvoiceAccount", "Account"}, {"Partition", "Partition"}}}));
  package.measurement.measure_groups.push_back(group);
  AddView(&package, "FactView", {"CustAccount", "RecId"});
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", "", {"AccountNum", "DataAreaId"}, true)});

  EsynDdl ddl = Golden("composite_relation", package);
  EXPECT_EQ(Sql(ddl, "M_Facts"),
            "CREATE OR ALTER VIEW M_Facts AS SELECT CustAccount AS CUSTACCOUNT,RecId AS RECID,"
            "DataAreaId AS DATAAREAID,CONCAT(CustAccount,'_',DataAreaId) AS M_Customer_FK,"
            "InvoiceAccount AS ACCOUNT,Partition AS PARTITION,CONCAT(InvoiceAccount,'_',Partition) AS M_Customer_FK "
            "FROM FactView");
}

TEST(EsynDdlTest, SingleConstraintFkOnlyForPerCompanyTables) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Facts", "FactView");
  group.dimensions.push_back(RefRelations("Customer", "Customer", {{{"CustAccount", "Customer"}}}));
  group.dimensions.push_back(RefRelations("Currency", "Currency", {{{"CurrencyCode", "Currency"}}}));
  group.dimensions.push_back(RefRelations("Unknown", "Unknown", {{{"UnknownId", "Unknown"}}}));
  package.measurement.measure_groups.push_back(group);
  AddView(&package, "FactView", {"RecId"});
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", "", {"AccountNum"}, true)});
  AddDimension(&package, "Currency", "Currency", {Attr("Currency", "", {"CurrencyCode"}, true)});
  AddDimension(&package, "Unknown", "NoSuchTable", {Attr("Unknown", "", {"Id"}, true)});
  AddTable(&package, "CustTable", false);
  AddTable(&package, "Currency", true);  // SaveDataPerCompany present: shared

  EsynDdl ddl = Golden("single_constraint_fk", package);
  const std::string fact = Sql(ddl, "M_Facts");
  EXPECT_TRUE(Contains(fact, "CustAccount AS CUSTOMER,CustAccount AS M_Customer_FK,"));
  EXPECT_TRUE(Contains(fact, "CurrencyCode AS CURRENCY,UnknownId AS UNKNOWN,PARTITION"));
  EXPECT_EQ(fact.find("M_Currency_FK"), std::string::npos);
  EXPECT_EQ(fact.find("M_Unknown_FK"), std::string::npos);
}

TEST(EsynDdlTest, FkSearchFollowsViewDataSourcesAndQueries) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Facts", "FactTable");
  group.dimensions.push_back(RefRelations("Product", "Product", {{{"ItemId", "Item"}}}));
  group.dimensions.push_back(RefRelations("Worker", "Worker", {{{"Worker", "Worker"}}}));
  group.dimensions.push_back(RefRelations("Unit", "Unit", {{{"UnitId", "Unit"}}}));
  group.dimensions.push_back(RefRelations("Site", "Site", {{{"SiteId", "Site"}}}));
  package.measurement.measure_groups.push_back(group);
  AddTable(&package, "FactTable", false);
  // Product: view -> view -> per-company table.
  AddDimension(&package, "Product", "ProductView", {Attr("Item", "", {"ItemId"}, true)});
  AddView(&package, "ProductView", {"ItemId"}).data_sources.push_back({"InnerView", "InnerView", {}, "", {}});
  AddView(&package, "InnerView", {"ItemId"}).data_sources.push_back({"InventTable", "InventTable", {}, "", {}});
  AddTable(&package, "InventTable", false);
  // Worker: view with a Query whose first data source is a per-company table.
  AddDimension(&package, "Worker", "WorkerView", {Attr("Worker", "", {"Worker"}, true)});
  AddView(&package, "WorkerView", {"Worker"}).query = "WorkerQuery";
  Query& query = package.queries["WORKERQUERY"];
  query.name = "WorkerQuery";
  query.data_sources.push_back({"HcmWorker", "HcmWorker", {}, "", {}});
  AddTable(&package, "HcmWorker", false);
  // Unit: view with a Query whose file is missing: nothing.
  AddDimension(&package, "Unit", "UnitView", {Attr("Unit", "", {"UnitId"}, true)});
  AddView(&package, "UnitView", {"UnitId"}).query = "MissingQuery";
  // Site: view through a query to a shared table: nothing.
  AddDimension(&package, "Site", "SiteView", {Attr("Site", "", {"SiteId"}, true)});
  AddView(&package, "SiteView", {"SiteId"}).query = "SiteQuery";
  Query& site_query = package.queries["SITEQUERY"];
  site_query.name = "SiteQuery";
  site_query.data_sources.push_back({"InventSite", "InventSite", {}, "", {}});
  AddTable(&package, "InventSite", true);

  EsynDdl ddl = Golden("fk_search", package);
  EXPECT_EQ(Sql(ddl, "M_Facts"),
            "CREATE OR ALTER VIEW M_Facts AS SELECT ItemId AS ITEM,ItemId AS M_Product_FK,Worker AS WORKER,"
            "Worker AS M_Worker_FK,UnitId AS UNIT,SiteId AS SITE,RECID,PARTITION,DATAAREAID FROM FactTable");
}

TEST(EsynDdlTest, MissingDimensionFileThrows) {
  // The dimension view is built before the fact view, so it is the first to need the file.
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Facts", "FactTable");
  group.dimensions.push_back(RefRelations("Customer", "CustomerV2", {{{"CustAccount", "Customer"}}}));
  package.measurement.measure_groups.push_back(group);
  try {
    BuildEsynDdl(package);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    EXPECT_EQ(error.message(),
              "Cannot find dimension metadata file dimensions\\CUSTOMERV2.json (dimension CustomerV2, referenced as "
              "Customer by measure group Facts)");
    EXPECT_EQ(error.location().file, "measurement.json");
    EXPECT_EQ(error.location().entity, "M_Customer");
  }
}

TEST(EsynDdlTest, MissingDimensionFileThrowsInTheSingleConstraintFkSearch) {
  // Group A created M_Customer from an existing dimension; group B's reference of the same role name skips the
  // dimension view and needs its (missing) dimension only in the FK search.
  MetadataPackage package = Package("M");
  MeasureGroup a = Group("A", "FactTable");
  a.dimensions.push_back(RefRelations("Customer", "Customer", {{{"CustAccount", "Customer"}}}));
  MeasureGroup b = Group("B", "FactTable");
  b.dimensions.push_back(RefRelations("Customer", "CustomerV2", {{{"CustAccount", "Customer"}}}));
  package.measurement.measure_groups = {a, b};
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", "", {"AccountNum"}, true)});
  try {
    BuildEsynDdl(package);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_TRUE(Contains(error.message(), "Cannot find dimension metadata file dimensions\\CUSTOMERV2.json"));
    EXPECT_EQ(error.location().entity, "M_B");
  }
}

TEST(EsynDdlTest, CompositeRelationDoesNotNeedTheDimensionFile) {
  // Only the single-constraint search loads the dimension in the fact view; here the dimension view for the
  // role was created by an earlier group, so a missing dimension file goes unnoticed.
  MetadataPackage package = Package("M");
  MeasureGroup a = Group("A", "FactTable");
  a.dimensions.push_back(RefRelations("Customer", "Customer", {{{"CustAccount", "Customer"}, {"DataAreaId", "Company"}}}));
  MeasureGroup b = Group("B", "FactTable");
  b.dimensions.push_back(RefRelations("Customer", "CustomerV2", {{{"CustAccount", "Customer"}, {"DataAreaId", "Company"}}}));
  package.measurement.measure_groups = {a, b};
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", "", {"AccountNum", "DataAreaId"}, true)});
  EsynDdl ddl = BuildEsynDdl(package);
  EXPECT_TRUE(Contains(Sql(ddl, "M_B"), "CONCAT(CustAccount,'_',DataAreaId) AS M_Customer_FK"));
}

// ---- §3.5 dimension views ---------------------------------------------------------------------------------

TEST(EsynDdlTest, DimensionViewWithCompositeKey) {
  MetadataPackage package = Package("Sales");
  MeasureGroup group = Group("Lines", "SalesLineView");
  group.dimensions.push_back(RefRelations("Customer", "Customer", {{{"CustAccount", "Customer"}, {"DataAreaId", "Company"}}}));
  package.measurement.measure_groups.push_back(group);
  AddView(&package, "SalesLineView", {"CustAccount"});
  AddDimension(&package, "Customer", "CustTableView",
               {Attr("Customer", "AccountNum", {"AccountNum", "DataAreaId"}, true),
                Attr("Name", "Name", {"Name"}), Attr("Group", "", {"CustGroup"}), Attr("Empty", "", {})});

  EsynDdl ddl = Golden("dimension_composite_key", package);
  EXPECT_EQ(Sql(ddl, "Sales_Customer"),
            "CREATE OR ALTER VIEW Sales_Customer AS SELECT CONCAT(AccountNum,'_',DataAreaId) AS ROW_UNIQUEKEY,"
            "ROW_NUMBER() OVER(ORDER BY ACCOUNTNUM,DATAAREAID) AS Sales_Customer_FK,AccountNum AS CUSTOMER,"
            "DATAAREAID,Name AS NAME,CustGroup AS GROUP,RECID,PARTITION FROM CustTableView");
  EXPECT_EQ(Find(ddl, "Sales_Customer")->kind, EsynStatement::Kind::kDimensionView);
}

TEST(EsynDdlTest, KeyAttributeWithoutKeyFieldsGivesOrderByParen) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Facts", "FactTable");
  group.dimensions.push_back(RefRelations("Vehicle", "Vehicle", {{{"VehicleId", "Vehicle"}, {"DataAreaId", "Company"}}}));
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Vehicle", "FMVehicle", {Attr("Vehicle", "", {}, true), Attr("Make", "", {"Make"})});

  EsynDdl ddl = Golden("key_without_key_fields", package);
  EXPECT_EQ(Sql(ddl, "M_Vehicle"),
            "CREATE OR ALTER VIEW M_Vehicle AS SELECT ROW_NUMBER() OVER(ORDER BY ) AS M_Vehicle_FK,Make AS MAKE,"
            "RECID,PARTITION,DATAAREAID FROM FMVehicle");
}

// ---- §3.6 enums -------------------------------------------------------------------------------------------

TEST(EsynDdlTest, EnumCaseAndFragileTextualRename) {
  MetadataPackage package = Package("Fleet");
  MeasureGroup group = Group("Rentals", "FMRentalView");
  group.dimensions.push_back(RefRelations("Vehicle", "Vehicle", {{{"VehicleId", "Vehicle"}, {"DataAreaId", "Company"}}}));
  package.measurement.measure_groups.push_back(group);
  // A related field written in upper case: the rename also reaches into the CONCAT of the FK.
  MeasureGroup returns = Group("Returns", "FMRentalView");
  returns.dimensions.push_back(RefRelations("Vehicle", "Vehicle", {{{"STATUS", "Vehicle"}, {"DataAreaId", "Company"}}}));
  package.measurement.measure_groups.push_back(returns);
  // STATUS is an enum; VEHICLESTATUS is a plain column whose text ends with "STATUS,".
  AddView(&package, "FMRentalView", {"VehicleStatus", "Status", "RentalId"});
  AddEnum(&package, "FMRentalView", "Status", {{"Open", 0}, {"Closed", 1}});
  // In the dimension, the enum column is the bare form of a multi-key attribute: the rename breaks it.
  AddDimension(&package, "Vehicle", "FMVehicle",
               {Attr("Vehicle", "VehicleId", {"VehicleId", "Condition"}, true)});
  AddEnum(&package, "FMVehicle", "Condition", {{"Good", 0}, {"Damaged", 5}});

  EsynDdl ddl = Golden("enum_rename", package);
  EXPECT_EQ(Sql(ddl, "Fleet_Rentals"),
            "CREATE OR ALTER VIEW Fleet_Rentals AS SELECT VehicleStatus AS VEHICLESTATUS_VALUE,"
            "Status AS STATUS_VALUE,RentalId AS RENTALID,VehicleId AS VEHICLE,DataAreaId AS COMPANY,"
            "CONCAT(VehicleId,'_',DataAreaId) AS Fleet_Vehicle_FK,RECID,PARTITION,"
            "CASE WHEN STATUS = '0' THEN 'Open' WHEN STATUS = '1' THEN 'Closed' END AS STATUS FROM FMRentalView");
  EXPECT_EQ(Sql(ddl, "Fleet_Vehicle"),
            "CREATE OR ALTER VIEW Fleet_Vehicle AS SELECT CONCAT(VehicleId,'_',Condition) AS ROW_UNIQUEKEY,"
            "ROW_NUMBER() OVER(ORDER BY VEHICLEID,CONDITION) AS Fleet_Vehicle_FK,VehicleId AS VEHICLE,"
            "CONDITION_VALUE,RECID,PARTITION,DATAAREAID,"
            "CASE WHEN CONDITION = '0' THEN 'Good' WHEN CONDITION = '5' THEN 'Damaged' END AS CONDITION "
            "FROM FMVehicle");
  EXPECT_TRUE(Contains(Sql(ddl, "Fleet_Returns"), "CONCAT(STATUS_VALUE,'_',DataAreaId) AS Fleet_Vehicle_FK,"));
}

// ---- §3.2 order and the shared set of dimension views -----------------------------------------------------

TEST(EsynDdlTest, RolePlayingReferencesGetSeparateViews) {
  MetadataPackage package = Package("Fleet");
  MeasureGroup group = Group("Rentals", "FMRental");
  group.dimensions.push_back(RefRelations("RentalStartDate", "Date_", {{{"StartDate", "Date"}}}));
  group.dimensions.push_back(RefRelations("RentalEndDate", "Date_", {{{"EndDate", "Date"}}}));
  package.measurement.measure_groups.push_back(group);
  AddTable(&package, "FMRental", false);
  AddDimension(&package, "Date_", "DateDimension", {Attr("Date", "", {"Date"}, true), Attr("Year", "", {"Year"})});
  AddTable(&package, "DateDimension", true);

  EsynDdl ddl = Golden("role_playing", package);
  ASSERT_EQ(ddl.statements.size(), 3u);
  EXPECT_EQ(ddl.statements[0].name, "Fleet_RentalStartDate");
  EXPECT_EQ(ddl.statements[1].name, "Fleet_RentalEndDate");
  EXPECT_EQ(ddl.statements[2].name, "Fleet_Rentals");
  EXPECT_TRUE(Contains(ddl.statements[1].sql, "ROW_NUMBER() OVER(ORDER BY DATE) AS Fleet_RentalEndDate_FK,"));
  // The date table is shared: the fact has the constraint columns but no FK.
  EXPECT_TRUE(Contains(ddl.statements[2].sql, "StartDate AS DATE,RECID,PARTITION,DATAAREAID FROM FMRental"));
}

TEST(EsynDdlTest, DimensionViewSharedAcrossGroupsIsCreatedOnce) {
  MetadataPackage package = Package("Sales");
  MeasureGroup orders = Group("Orders", "SalesTable");
  orders.dimensions.push_back(RefRelations("Customer", "Customer", {{{"CustAccount", "Customer"}}}));
  MeasureGroup invoices = Group("Invoices", "CustInvoiceJour");
  invoices.dimensions.push_back(RefRelations("Customer", "Customer", {{{"InvoiceAccount", "Customer"}}}));
  invoices.dimensions.push_back(RefRelations("Currency", "Currency", {{{"CurrencyCode", "Currency"}}}));
  package.measurement.measure_groups = {orders, invoices};
  AddTable(&package, "SalesTable", false);
  AddTable(&package, "CustInvoiceJour", false);
  AddTable(&package, "CustTable", false);
  AddTable(&package, "Currency", true);
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", "", {"AccountNum"}, true)});
  AddDimension(&package, "Currency", "Currency", {Attr("Currency", "", {"CurrencyCode"}, true)});

  EsynDdl ddl = Golden("shared_dimension_view", package);
  std::vector<std::string> names;
  for (const EsynStatement& statement : ddl.statements) names.push_back(statement.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Sales_Customer", "Sales_Orders", "Sales_Currency", "Sales_Invoices"}));
  EXPECT_EQ(ddl.statements[0].measure_group, "Orders");
  EXPECT_EQ(ddl.statements[2].measure_group, "Invoices");
}

// ---- §3.1 D365 views --------------------------------------------------------------------------------------

TEST(EsynDdlTest, D365ViewsRemoveExactDboAndSkipRepeatedNames) {
  MetadataPackage package = Package("M");
  auto add = [&](const std::string& name, const std::string& definition) {
    ViewDefinition row;
    row.view_name = name;
    row.root_view_name = "ROOTVIEW";
    row.definition = definition;
    package.view_definitions.push_back(row);
  };
  add("INNERVIEW",
      "CREATE VIEW [dbo].[INNERVIEW] AS SELECT T1.RECID AS RECID FROM [dbo].CUSTTABLE T1\r\n"
      "WHERE T1.VALIDFROM <= [dbo].GetValidFromInContextInfo() AND T1.VALIDTO >= dbo.getvalidtoincontextinfo()");
  add("UPPERDBO", "CREATE OR ALTER VIEW [DBO].[UPPERDBO] AS SELECT T1.ACCOUNTNUM FROM [DBO].CUSTTABLE T1");
  add("innerview", "CREATE VIEW [dbo].[INNERVIEW] AS SELECT 2 AS SECOND_COPY");
  add("ROOTVIEW", "create view [dbo].[ROOTVIEW] AS SELECT * FROM [dbo].[INNERVIEW]");

  EsynDdl ddl = Golden("d365_views", package);
  ASSERT_EQ(ddl.statements.size(), 3u);
  EXPECT_EQ(ddl.statements[0].sql,
            "CREATE OR ALTER VIEW [INNERVIEW] AS SELECT T1.RECID AS RECID FROM CUSTTABLE T1\r\n"
            "WHERE T1.VALIDFROM <= GETUTCDATE() AND T1.VALIDTO >= dbo.GETUTCDATE()");
  EXPECT_EQ(ddl.statements[1].sql,
            "CREATE OR ALTER VIEW [DBO].[UPPERDBO] AS SELECT T1.ACCOUNTNUM FROM [DBO].CUSTTABLE T1");
  EXPECT_EQ(ddl.statements[2].name, "ROOTVIEW");
  EXPECT_EQ(ddl.statements[2].sql, "CREATE OR ALTER VIEW [ROOTVIEW] AS SELECT * FROM [INNERVIEW]");
}

// ---- a whole measurement ----------------------------------------------------------------------------------

// A fleet-management measurement in the shape of Microsoft's tutorial sample: a fact view with measures, a
// degenerate attribute, role-playing dates, a per-company customer behind a view and a query, a shared
// vehicle-type dimension, enums on both sides and the D365 views the fact view depends on.
MetadataPackage FleetSample() {
  MetadataPackage package = Package("FMAggregateMeasurements");
  ViewDefinition base;
  base.view_name = "FMRENTALCHARGEVIEW";
  base.definition =
      "CREATE VIEW [dbo].[FMRENTALCHARGEVIEW] AS SELECT T1.RENTAL AS RENTAL, SUM(T1.CHARGE) AS CHARGE, "
      "T1.DATAAREAID AS DATAAREAID, T1.PARTITION AS PARTITION, 1010 AS RECID FROM [dbo].FMRENTALCHARGE T1 "
      "GROUP BY T1.RENTAL, T1.DATAAREAID, T1.PARTITION";
  ViewDefinition rental;
  rental.view_name = "FMRENTALVIEW";
  rental.definition =
      "CREATE VIEW [dbo].[FMRENTALVIEW] AS SELECT T1.RENTALID AS RENTALID, T1.CUSTOMER AS CUSTOMER, "
      "T1.VEHICLE AS VEHICLE, T1.STARTDATE AS STARTDATE, T1.ENDDATE AS ENDDATE, T1.STATUS AS STATUS, "
      "T2.CHARGE AS TOTALCHARGE, T1.DATAAREAID AS DATAAREAID, T1.PARTITION AS PARTITION, T1.RECID AS RECID "
      "FROM [dbo].FMRENTAL T1 LEFT OUTER JOIN [dbo].FMRENTALCHARGEVIEW T2 ON ((T1.RENTALID = T2.RENTAL) AND "
      "(T1.DATAAREAID = T2.DATAAREAID) AND (T1.PARTITION = T2.PARTITION))";
  package.view_definitions = {base, rental, base};

  MeasureGroup rentals = Group("FMRentals", "FMRentalView");
  rentals.attributes.push_back(Attr("RentalId", "RentalId", {"RentalId"}));
  rentals.measures.push_back(Meas("NoRentals", std::nullopt));
  rentals.measures.push_back(Meas("TotalCharge", "TotalCharge"));  // a view field: dropped
  rentals.measures.push_back(Meas("Charge", "TotalCharge"));
  rentals.dimensions.push_back(RefRelations("Customer", "FMCustomer", {{{"Customer", "Customer"}}}));
  rentals.dimensions.push_back(
      RefRelations("Vehicle", "FMVehicle", {{{"Vehicle", "Vehicle"}, {"DataAreaId", "DataAreaId"}}}));
  rentals.dimensions.push_back(RefRelations("RentalStartDate", "Date_", {{{"StartDate", "Date"}}}));
  rentals.dimensions.push_back(RefRelations("RentalEndDate", "Date_", {{{"EndDate", "Date"}}}));

  MeasureGroup charges = Group("FMRentalCharges", "FMRentalCharge");
  charges.measures.push_back(Meas("ChargeAmount", "Charge"));
  charges.measures.push_back(Meas(std::nullopt, "Quantity"));
  charges.dimensions.push_back(RefRelations("Customer", "FMCustomer", {{{"Customer", "Customer"}}}));
  charges.dimensions.push_back(RefRelations("ChargeType", "FMChargeType", {{{"ChargeType", "ChargeType"}}}));
  package.measurement.measure_groups = {rentals, charges};

  AddView(&package, "FMRentalView",
          {"RentalId", "Customer", "Vehicle", "StartDate", "EndDate", "Status", "TotalCharge", "DataAreaId",
           "Partition", "RecId"});
  AddEnum(&package, "FMRentalView", "Status", {{"Reserved", 0}, {"CheckedOut", 1}, {"Returned", 2}});
  AddTable(&package, "FMRentalCharge", false);

  AddDimension(&package, "FMCustomer", "FMCustomerView",
               {Attr("Customer", "CustomerId", {"CustomerId"}, true), Attr("FirstName", "", {"FirstName"}),
                Attr("LastName", "", {"LastName"}), Attr("Comment", "", {"Comment"}),
                Attr("CustomerType", "", {"CustomerType"})});
  AddView(&package, "FMCustomerView", {"CustomerId", "FirstName"}).query = "FMCustomerQuery";
  Query& query = package.queries["FMCUSTOMERQUERY"];
  query.name = "FMCustomerQuery";
  query.data_sources.push_back({"FMCustomer", "FMCustomer", {}, "", {}});
  AddTable(&package, "FMCustomer", false);
  AddEnum(&package, "FMCustomerView", "CustomerType", {{"Person", 0}, {"Organization", 1}});

  AddDimension(&package, "FMVehicle", "FMVehicle",
               {Attr("Vehicle", "VehicleId", {"VehicleId", "DataAreaId"}, true), Attr("Make", "", {"Make"}),
                Attr("Model", "", {"Model"})});
  AddTable(&package, "FMVehicle", false);

  AddDimension(&package, "Date_", "DateDimensionView",
               {Attr("Date", "", {"Date"}, true), Attr("Month", "MonthName", {"MonthOfYear", "MonthName"}),
                Attr("Year", "", {"Year"})});
  AddView(&package, "DateDimensionView", {"Date"}).data_sources.push_back({"Dates", "DateDimension", {}, "", {}});
  AddTable(&package, "DateDimension", true);

  AddDimension(&package, "FMChargeType", "FMChargeType", {Attr("ChargeType", "", {"ChargeType"}, true)});
  AddTable(&package, "FMChargeType", false);
  AddEnum(&package, "FMRentalCharge", "ChargeType", {{"Insurance", 0}, {"Fuel", 1}, {"Damage", 2}});
  return package;
}

TEST(EsynDdlTest, FullFleetSample) {
  EsynDdl ddl = Golden("full_fleet_sample", FleetSample());
  std::vector<std::string> names;
  for (const EsynStatement& statement : ddl.statements) names.push_back(statement.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "FMRENTALCHARGEVIEW", "FMRENTALVIEW", "FMAggregateMeasurements_Customer",
                       "FMAggregateMeasurements_Vehicle", "FMAggregateMeasurements_RentalStartDate",
                       "FMAggregateMeasurements_RentalEndDate", "FMAggregateMeasurements_FMRentals",
                       "FMAggregateMeasurements_ChargeType", "FMAggregateMeasurements_FMRentalCharges"}));
}

TEST(EsynDdlTest, SameInputGivesSameOutput) {
  EXPECT_EQ(Render(BuildEsynDdl(FleetSample())), Render(BuildEsynDdl(FleetSample())));
}

}  // namespace
}  // namespace cdmlake::entitystore
