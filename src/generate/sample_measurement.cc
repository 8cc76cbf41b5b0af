#include "generate/sample_measurement.h"

#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "generate/calendar.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::generate {

namespace {

using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------------------
// The AOT metadata of the generated tables. d365_lake.cc writes the data; this is the same schema as the AOT
// knows it (system fields RECID, DATAAREAID, PARTITION and RECVERSION are not AOT fields). The test compares
// both, so the two cannot drift apart silently.

enum class FieldType { kString, kInt64, kInt32, kReal, kDateTime, kDate, kEnum };

struct TableFieldSpec {
  const char* name;
  FieldType type;
  const char* enum_name = nullptr;  // kEnum only
};

struct TableSpec {
  const char* name;  // the AOT name, as the generator names the table
  bool per_company;  // has DATAAREAID (SaveDataPerCompany = Yes, the default)
  std::vector<TableFieldSpec> fields;
};

struct EnumValueSpec {
  const char* symbol;
  int value;
  const char* label;
};

struct EnumSpec {
  const char* name;
  const char* label;
  std::vector<EnumValueSpec> values;
};

// Values and labels as in d365_lake.cc (kSalesStatus, kSalesType, kCustVendorBlocked, kItemType,
// kEcoResProductType).
const std::vector<EnumSpec>& Enums() {
  static const std::vector<EnumSpec> enums = {
      {"CustVendorBlocked", "Blocked", {{"No", 0, "No"}, {"Invoice", 1, "Invoice"}, {"All", 2, "All"}}},
      {"EcoResProductType", "Product type", {{"Item", 1, "Item"}, {"Service", 2, "Service"}}},
      {"ItemType", "Item type", {{"Item", 0, "Item"}, {"BOM", 1, "BOM"}, {"Service", 2, "Service"}}},
      {"SalesStatus",
       "Status",
       {{"None", 0, "None"},
        {"Backorder", 1, "Open order"},
        {"Delivered", 2, "Delivered"},
        {"Invoiced", 3, "Invoiced"},
        {"Canceled", 4, "Canceled"}}},
      {"SalesType",
       "Order type",
       {{"Journal", 0, "Journal"},
        {"Quotation", 1, "Quotation"},
        {"Subscription", 2, "Subscription"},
        {"Sales", 3, "Sales order"},
        {"ReturnItem", 4, "Returned order"}}},
  };
  return enums;
}

const EnumSpec& FindEnum(std::string_view name) {
  for (const EnumSpec& e : Enums()) {
    if (name == e.name) return e;
  }
  throw Error(ErrorKind::kInternal, "sample measurement: unknown enum " + std::string(name));
}

constexpr FieldType S = FieldType::kString, L = FieldType::kInt64, R = FieldType::kReal, T = FieldType::kDateTime,
                    E = FieldType::kEnum;

// clang-format off
const std::vector<TableSpec>& Tables() {
  static const std::vector<TableSpec> tables = {
      {"CustGroup", true, {{"CUSTGROUP", S}, {"NAME", S}, {"PAYMTERMID", S}}},
      {"CustTable", true, {{"ACCOUNTNUM", S}, {"PARTY", L}, {"CUSTGROUP", S}, {"CURRENCY", S}, {"CREDITMAX", R},
                           {"BLOCKED", E, "CustVendorBlocked"}, {"CREATEDDATETIME", T}, {"MODIFIEDDATETIME", T}}},
      {"DirPartyTable", false, {{"PARTYNUMBER", S}, {"NAME", S}, {"NAMEALIAS", S}, {"LANGUAGEID", S},
                                {"INSTANCERELATIONTYPE", L}, {"PRIMARYADDRESSLOCATION", L}}},
      {"EcoResProduct", false, {{"DISPLAYPRODUCTNUMBER", S}, {"SEARCHNAME", S},
                                {"PRODUCTTYPE", E, "EcoResProductType"}, {"INSTANCERELATIONTYPE", L}}},
      {"InventTable", true, {{"ITEMID", S}, {"PRODUCT", L}, {"ITEMTYPE", E, "ItemType"}, {"NAMEALIAS", S},
                             {"NETWEIGHT", R}}},
      {"LogisticsPostalAddress", false, {{"LOCATION", L}, {"ADDRESS", S}, {"STREET", S}, {"CITY", S}, {"STATE", S},
                                         {"ZIPCODE", S}, {"COUNTRYREGIONID", S}, {"VALIDFROM", T}, {"VALIDTO", T}}},
      {"SalesLine", true, {{"SALESID", S}, {"LINENUM", R}, {"ITEMID", S}, {"NAME", S}, {"SALESQTY", R},
                           {"SALESPRICE", R}, {"LINEAMOUNT", R}, {"CURRENCYCODE", S},
                           {"SALESSTATUS", E, "SalesStatus"}, {"CUSTACCOUNT", S}, {"SHIPPINGDATEREQUESTED", T},
                           {"SHIPPINGDATECONFIRMED", T}, {"CREATEDDATETIME", T}}},
      {"SalesTable", true, {{"SALESID", S}, {"CUSTACCOUNT", S}, {"SALESNAME", S}, {"SALESSTATUS", E, "SalesStatus"},
                            {"SALESTYPE", E, "SalesType"}, {"CURRENCYCODE", S}, {"DELIVERYDATE", T},
                            {"SHIPPINGDATECONFIRMED", T}, {"CREATEDDATETIME", T}}},
  };
  return tables;
}
// clang-format on

const TableSpec* FindTable(std::string_view name) {
  for (const TableSpec& t : Tables()) {
    if (ToUpper(name) == ToUpper(t.name)) return &t;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------------------
// The D365 SQL views. Each is an AOT view (fields bound to data sources, or computed) plus the T-SQL that
// AXDB holds for it. Field names are the SQL column names, except the reserved words, which D365 stores with a
// trailing underscore (AOT field Comment is column COMMENT_).

struct ViewFieldSpec {
  std::string name;
  std::string data_source;  // empty for a computed column
  std::string data_field;
  FieldType computed_type = FieldType::kString;  // computed columns only
};

struct DataSourceSpec {
  std::string name;
  std::string table;
  std::string join_mode;                                       // "" (inner) or "OuterJoin"
  std::vector<std::pair<std::string, std::string>> relations;  // (this field, parent field)
  std::vector<DataSourceSpec> children;
};

struct ViewSpec {
  std::string name;
  std::vector<ViewFieldSpec> fields;
  DataSourceSpec root;
  std::vector<std::string> references;  // the views and tables the SQL reads, upper case
  std::string sql;                      // as written below, with '\n' line breaks
};

ViewFieldSpec Bound(std::string name, std::string source, std::string field = "") {
  if (field.empty()) field = name;
  return {std::move(name), std::move(source), std::move(field)};
}
ViewFieldSpec Computed(std::string name, FieldType type) { return {std::move(name), "", "", type}; }

// The views in creation order. Each comment says what the view computes, so the processed results can be checked
// with independent SQL.
const std::vector<ViewSpec>& Views() {
  static const std::vector<ViewSpec> views = [] {
    std::vector<ViewSpec> v;

    // SALESLINEBASEVIEW: one row per SalesLine with its order's SalesType (an inner join written as CROSS JOIN
    // plus WHERE on SALESID, DATAAREAID and PARTITION, every line has its order). Computed: LINEDESCRIPTION is
    // the line's NAME or '' (ISNULL, N'' literal); CREATEDDATE is the date of CREATEDDATETIME (CONVERT with a
    // style code); SHIPPINGDATE the date of SHIPPINGDATEREQUESTED (CAST); PICKINGDATETIME is
    // SHIPPINGDATEREQUESTED two days earlier (datetime minus integer = days). The order's system columns come
    // out again as DATAAREAID#2, PARTITION#2 and RECID#2, as D365 writes duplicate column names.
    v.push_back(
        {"SALESLINEBASEVIEW",
         {Bound("SALESID", "SalesLine"), Bound("LINENUM", "SalesLine"), Bound("ITEMID", "SalesLine"),
          Bound("CUSTACCOUNT", "SalesLine"), Bound("SALESQTY", "SalesLine"), Bound("SALESPRICE", "SalesLine"),
          Bound("LINEAMOUNT", "SalesLine"), Bound("SALESSTATUS", "SalesLine"), Bound("CURRENCYCODE", "SalesLine"),
          Bound("SALESTYPE", "SalesTable"), Computed("LINEDESCRIPTION", FieldType::kString),
          Computed("CREATEDDATE", FieldType::kDate), Computed("SHIPPINGDATE", FieldType::kDate),
          Computed("PICKINGDATETIME", FieldType::kDateTime)},
         {"SalesLine", "SalesLine", "", {}, {{"SalesTable", "SalesTable", "", {{"SALESID", "SALESID"}}, {}}}},
         {"SALESLINE", "SALESTABLE"},
         "CREATE VIEW [dbo].[SALESLINEBASEVIEW] AS SELECT T1.SALESID AS SALESID,T1.LINENUM AS LINENUM,"
         "T1.ITEMID AS ITEMID,T1.CUSTACCOUNT AS CUSTACCOUNT,T1.SALESQTY AS SALESQTY,T1.SALESPRICE AS SALESPRICE,"
         "T1.LINEAMOUNT AS LINEAMOUNT,T1.SALESSTATUS AS SALESSTATUS,T1.CURRENCYCODE AS CURRENCYCODE,"
         "T2.SALESTYPE AS SALESTYPE,\n"
         "ISNULL(T1.NAME, N'') AS LINEDESCRIPTION,\n"
         "CONVERT(DATE, T1.CREATEDDATETIME, 112) AS CREATEDDATE,\n"
         "(CAST(T1.SHIPPINGDATEREQUESTED AS DATE)) AS SHIPPINGDATE,\n"
         "(T1.SHIPPINGDATEREQUESTED - 2) AS PICKINGDATETIME,\n"
         "T1.DATAAREAID AS DATAAREAID,T1.PARTITION AS PARTITION,T1.RECID AS RECID,T2.DATAAREAID AS DATAAREAID#2,"
         "T2.PARTITION AS PARTITION#2,T2.RECID AS RECID#2\n"
         "FROM SALESLINE T1 CROSS JOIN SALESTABLE T2\n"
         "WHERE (((T1.SALESID = T2.SALESID) AND (T1.DATAAREAID = T2.DATAAREAID)) AND (T1.PARTITION = T2.PARTITION))"});

    // SALESLINECUSTOMERVIEW: every row of SALESLINEBASEVIEW with the customer's CUSTGROUP (CustTable joined on
    // CUSTACCOUNT = ACCOUNTNUM, DATAAREAID and PARTITION; every line's customer exists). A view on a view.
    v.push_back(
        {"SALESLINECUSTOMERVIEW",
         {Bound("SALESID", "SALESLINEBASEVIEW"), Bound("LINENUM", "SALESLINEBASEVIEW"),
          Bound("ITEMID", "SALESLINEBASEVIEW"), Bound("CUSTACCOUNT", "SALESLINEBASEVIEW"),
          Bound("SALESQTY", "SALESLINEBASEVIEW"), Bound("SALESPRICE", "SALESLINEBASEVIEW"),
          Bound("LINEAMOUNT", "SALESLINEBASEVIEW"), Bound("SALESSTATUS", "SALESLINEBASEVIEW"),
          Bound("CURRENCYCODE", "SALESLINEBASEVIEW"), Bound("SALESTYPE", "SALESLINEBASEVIEW"),
          Bound("LINEDESCRIPTION", "SALESLINEBASEVIEW"), Bound("CREATEDDATE", "SALESLINEBASEVIEW"),
          Bound("SHIPPINGDATE", "SALESLINEBASEVIEW"), Bound("PICKINGDATETIME", "SALESLINEBASEVIEW"),
          Bound("CUSTGROUP", "CustTable")},
         {"SALESLINEBASEVIEW",
          "SALESLINEBASEVIEW",
          "",
          {},
          {{"CustTable", "CustTable", "", {{"ACCOUNTNUM", "CUSTACCOUNT"}}, {}}}},
         {"SALESLINEBASEVIEW", "CUSTTABLE"},
         "CREATE VIEW [dbo].[SALESLINECUSTOMERVIEW] AS SELECT T1.SALESID AS SALESID,T1.LINENUM AS LINENUM,"
         "T1.ITEMID AS ITEMID,T1.CUSTACCOUNT AS CUSTACCOUNT,T1.SALESQTY AS SALESQTY,T1.SALESPRICE AS SALESPRICE,"
         "T1.LINEAMOUNT AS LINEAMOUNT,T1.SALESSTATUS AS SALESSTATUS,T1.CURRENCYCODE AS CURRENCYCODE,"
         "T1.SALESTYPE AS SALESTYPE,T1.LINEDESCRIPTION AS LINEDESCRIPTION,T1.CREATEDDATE AS CREATEDDATE,"
         "T1.SHIPPINGDATE AS SHIPPINGDATE,T1.PICKINGDATETIME AS PICKINGDATETIME,T2.CUSTGROUP AS CUSTGROUP,"
         "T1.DATAAREAID AS DATAAREAID,T1.PARTITION AS PARTITION,T1.RECID AS RECID,T2.DATAAREAID AS DATAAREAID#2,"
         "T2.PARTITION AS PARTITION#2,T2.RECID AS RECID#2\n"
         "FROM SALESLINEBASEVIEW T1 CROSS JOIN CUSTTABLE T2\n"
         "WHERE (((T1.CUSTACCOUNT = T2.ACCOUNTNUM) AND (T1.DATAAREAID = T2.DATAAREAID)) AND "
         "(T1.PARTITION = T2.PARTITION))"});

    // SALESLINECUBEVIEW: the fact source of SalesLines. The rows of SALESLINECUSTOMERVIEW except quotations
    // (SALESTYPE <> 1, an enum value as an integer literal), plus CREATEDMONTH = 'yyyy-mm' of CREATEDDATE
    // (CONVERT to NVARCHAR(7) with style 120 keeps the first seven characters of 'yyyy-mm-dd').
    v.push_back(
        {"SALESLINECUBEVIEW",
         {Bound("SALESID", "SALESLINECUSTOMERVIEW"), Bound("LINENUM", "SALESLINECUSTOMERVIEW"),
          Bound("ITEMID", "SALESLINECUSTOMERVIEW"), Bound("CUSTACCOUNT", "SALESLINECUSTOMERVIEW"),
          Bound("CUSTGROUP", "SALESLINECUSTOMERVIEW"), Bound("SALESQTY", "SALESLINECUSTOMERVIEW"),
          Bound("SALESPRICE", "SALESLINECUSTOMERVIEW"), Bound("LINEAMOUNT", "SALESLINECUSTOMERVIEW"),
          Bound("SALESSTATUS", "SALESLINECUSTOMERVIEW"), Bound("SALESTYPE", "SALESLINECUSTOMERVIEW"),
          Bound("CURRENCYCODE", "SALESLINECUSTOMERVIEW"), Bound("LINEDESCRIPTION", "SALESLINECUSTOMERVIEW"),
          Bound("CREATEDDATE", "SALESLINECUSTOMERVIEW"), Bound("SHIPPINGDATE", "SALESLINECUSTOMERVIEW"),
          Bound("PICKINGDATETIME", "SALESLINECUSTOMERVIEW"), Computed("CREATEDMONTH", FieldType::kString)},
         {"SALESLINECUSTOMERVIEW", "SALESLINECUSTOMERVIEW", "", {}, {}},
         {"SALESLINECUSTOMERVIEW"},
         "CREATE VIEW [dbo].[SALESLINECUBEVIEW] AS SELECT T1.SALESID AS SALESID,T1.LINENUM AS LINENUM,"
         "T1.ITEMID AS ITEMID,T1.CUSTACCOUNT AS CUSTACCOUNT,T1.CUSTGROUP AS CUSTGROUP,T1.SALESQTY AS SALESQTY,"
         "T1.SALESPRICE AS SALESPRICE,T1.LINEAMOUNT AS LINEAMOUNT,T1.SALESSTATUS AS SALESSTATUS,"
         "T1.SALESTYPE AS SALESTYPE,T1.CURRENCYCODE AS CURRENCYCODE,T1.LINEDESCRIPTION AS LINEDESCRIPTION,"
         "T1.CREATEDDATE AS CREATEDDATE,T1.SHIPPINGDATE AS SHIPPINGDATE,T1.PICKINGDATETIME AS PICKINGDATETIME,\n"
         "CONVERT(NVARCHAR(7), T1.CREATEDDATE, 120) AS CREATEDMONTH,\n"
         "T1.DATAAREAID AS DATAAREAID,T1.PARTITION AS PARTITION,T1.RECID AS RECID\n"
         "FROM SALESLINECUSTOMERVIEW T1\n"
         "WHERE (T1.SALESTYPE <> 1)"});

    // CUSTOMERDIMENSIONVIEW: one row per CustTable row (key DATAAREAID + ACCOUNTNUM, unique: account numbers
    // are unique over all companies). NAME is the party's name (DirPartyTable joined on PARTY = RECID, CROSS JOIN
    // plus WHERE). CITY and COUNTRYREGIONID come from the party's primary address, valid now (LEFT OUTER JOIN with
    // the GetValid*InContextInfo() date-effective filter; every generated address is valid from 2020 to 2154),
    // '' when there is none. COMPANYCUSTGROUPS lists the customer groups of the customer's company, ordered and
    // separated by ', ' (STUFF(... FOR XML PATH('')) over dbo.CUSTGROUP), e.g. '10, 20, 30, 40' for usmf.
    v.push_back(
        {"CUSTOMERDIMENSIONVIEW",
         {Bound("ACCOUNTNUM", "CustTable"), Bound("NAME", "DirPartyTable"), Bound("CUSTGROUP", "CustTable"),
          Bound("BLOCKED", "CustTable"), Bound("CURRENCY", "CustTable"), Computed("CITY", FieldType::kString),
          Computed("COUNTRYREGIONID", FieldType::kString), Computed("COMPANYCUSTGROUPS", FieldType::kString)},
         {"CustTable",
          "CustTable",
          "",
          {},
          {{"DirPartyTable",
            "DirPartyTable",
            "",
            {{"RECID", "PARTY"}},
            {{"LogisticsPostalAddress",
              "LogisticsPostalAddress",
              "OuterJoin",
              {{"LOCATION", "PRIMARYADDRESSLOCATION"}},
              {}}}}}},
         {"CUSTGROUP", "CUSTTABLE", "DIRPARTYTABLE", "LOGISTICSPOSTALADDRESS"},
         "CREATE VIEW [dbo].[CUSTOMERDIMENSIONVIEW] AS SELECT T1.ACCOUNTNUM AS ACCOUNTNUM,T2.NAME AS NAME,"
         "T1.CUSTGROUP AS CUSTGROUP,T1.BLOCKED AS BLOCKED,T1.CURRENCY AS CURRENCY,\n"
         "ISNULL(T3.CITY, N'') AS CITY,\n"
         "ISNULL(T3.COUNTRYREGIONID, N'') AS COUNTRYREGIONID,\n"
         "STUFF((SELECT N', ' + T4.CUSTGROUP\n"
         "    FROM dbo.CUSTGROUP T4\n"
         "    WHERE ((T4.DATAAREAID = T1.DATAAREAID) AND (T4.PARTITION = T1.PARTITION))\n"
         "    ORDER BY T4.CUSTGROUP\n"
         "    FOR XML PATH('')), 1, 2, N'') AS COMPANYCUSTGROUPS,\n"
         "T1.DATAAREAID AS DATAAREAID,T1.PARTITION AS PARTITION,T1.RECID AS RECID,T2.PARTITION AS PARTITION#2,"
         "T2.RECID AS RECID#2\n"
         "FROM CUSTTABLE T1 CROSS JOIN DIRPARTYTABLE T2 LEFT OUTER JOIN LOGISTICSPOSTALADDRESS T3 ON "
         "((((T2.PRIMARYADDRESSLOCATION = T3.LOCATION) AND (T3.VALIDFROM <= [dbo].GetValidFromInContextInfo())) "
         "AND (T3.VALIDTO >= [dbo].GetValidToInContextInfo())) AND (T2.PARTITION = T3.PARTITION))\n"
         "WHERE ((T1.PARTY = T2.RECID) AND (T1.PARTITION = T2.PARTITION))"});

    // PRODUCTDIMENSIONVIEW: a UNION ALL of two branches (key DATAAREAID + ITEMID, unique).
    // Branch 1, one row per InventTable row with its EcoResProduct (joined on PRODUCT = RECID): ITEMNAME is the
    // product's SEARCHNAME or '', COMMENT_ the item's NAMEALIAS, KEY_ the product's RECID, LEVEL_ = 1.
    // Branch 2, one unknown member per company that has items (GROUP BY DATAAREAID, PARTITION): ITEMID N''
    // (generated item ids are never empty, so keys cannot collide), ITEMNAME 'Unknown item ("n/a")' (a double
    // quote that EMEX's CSV leaves unescaped), COMMENT_ '', ITEMTYPE 0 (Item), PRODUCTTYPE 1 (Item),
    // KEY_ 0, LEVEL_ 0, RECID 0. Both branches give VALIDFROM = 1900-01-01 (typed literals:
    // CAST(... AS INT / BIGINT / DATETIME)); the later branch has no aliases, as D365 writes unions.
    v.push_back(
        {"PRODUCTDIMENSIONVIEW",
         {Bound("ITEMID", "InventTable"), Computed("ITEMNAME", FieldType::kString), Bound("ITEMTYPE", "InventTable"),
          Bound("PRODUCTTYPE", "EcoResProduct"), Bound("COMMENT", "InventTable", "NAMEALIAS"),
          Bound("KEY", "EcoResProduct", "RECID"), Computed("LEVEL", FieldType::kInt32),
          Computed("VALIDFROM", FieldType::kDateTime)},
         {"InventTable", "InventTable", "", {}, {{"EcoResProduct", "EcoResProduct", "", {{"RECID", "PRODUCT"}}, {}}}},
         {"ECORESPRODUCT", "INVENTTABLE"},
         "CREATE VIEW [dbo].[PRODUCTDIMENSIONVIEW] AS SELECT T1.ITEMID AS ITEMID,ISNULL(T2.SEARCHNAME, N'') AS "
         "ITEMNAME,T1.ITEMTYPE AS ITEMTYPE,T2.PRODUCTTYPE AS PRODUCTTYPE,T1.NAMEALIAS AS COMMENT_,T2.RECID AS KEY_,"
         "(CAST((1) AS INT)) AS LEVEL_,(CAST(('1900-01-01T00:00:00') AS DATETIME)) AS VALIDFROM,"
         "T1.DATAAREAID AS DATAAREAID,T1.PARTITION AS PARTITION,T1.RECID AS RECID,T2.PARTITION AS PARTITION#2,"
         "1 AS UNIONALLBRANCHID\n"
         "FROM INVENTTABLE T1 CROSS JOIN ECORESPRODUCT T2\n"
         "WHERE ((T1.PRODUCT = T2.RECID) AND (T1.PARTITION = T2.PARTITION))\n"
         "UNION ALL\n"
         "SELECT N'',N'Unknown item (\"n/a\")',(CAST((0) AS INT)),(CAST((1) AS INT)),N'',(CAST((0) AS BIGINT)),"
         "(CAST((0) AS INT)),(CAST(('1900-01-01T00:00:00') AS DATETIME)),T3.DATAAREAID,T3.PARTITION,"
         "(CAST((0) AS BIGINT)),T3.PARTITION,2\n"
         "FROM INVENTTABLE T3\n"
         "GROUP BY T3.DATAAREAID,T3.PARTITION"});
    return v;
  }();
  return views;
}

const ViewSpec* FindView(std::string_view name) {
  for (const ViewSpec& v : Views()) {
    if (ToUpper(name) == v.name) return &v;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------------------
// The measurement and its dimensions.

struct AttributeSpec {
  std::string name;
  std::vector<std::string> key_fields;
  std::string name_field;
  bool key = false;
};

struct MeasureSpec {
  std::string name;
  std::string field;      // "" = not set (omitted): a row counter
  std::string aggregate;  // "" = Count, the default, omitted as the serializer does
};

struct ConstraintSpec {
  std::string name;
  std::string field;          // dimension side
  std::string related_field;  // fact side
};

struct DimensionRefSpec {
  std::string name;       // the role
  std::string dimension;  // the AxAggregateDimension
  std::string dimension_attribute;
  std::vector<ConstraintSpec> constraints;
};

struct MeasureGroupSpec {
  std::string name;
  std::string table;
  std::vector<AttributeSpec> attributes;
  std::vector<MeasureSpec> measures;
  std::vector<DimensionRefSpec> dimensions;
};

struct DimensionSpec {
  std::string name;
  std::string label;
  std::string table;
  std::vector<AttributeSpec> attributes;
};

// Constraint names are the fact-side field, so that two roles of one dimension (CreatedDate and ShippingDate
// of Date_) give distinct fact columns in ESYN, which aliases each related field with the constraint's name.
ConstraintSpec Constraint(std::string field, std::string related_field) {
  return {related_field, std::move(field), related_field};
}

DimensionRefSpec CustomerRef() {
  return {"Customer",
          "Customer",
          "Customer",
          {Constraint("DATAAREAID", "DATAAREAID"), Constraint("ACCOUNTNUM", "CUSTACCOUNT")}};
}
DimensionRefSpec DateRef(std::string role, std::string fact_field) {
  return {std::move(role), "Date_", "Date", {Constraint("DateKey", std::move(fact_field))}};
}
AttributeSpec Attr(std::string name, std::string field) { return {std::move(name), {field}, field, false}; }

const std::vector<MeasureGroupSpec>& MeasureGroups() {
  static const std::vector<MeasureGroupSpec> groups = {
      {"SalesLines",
       "SALESLINECUBEVIEW",
       {Attr("SalesStatus", "SALESSTATUS")},
       {{"SalesAmount", "LINEAMOUNT", "Sum"},
        {"SalesQuantity", "SALESQTY", "Sum"},
        {"NumberOfLines", "", ""},
        {"NumberOfCustomers", "CUSTACCOUNT", "DistinctCount"},
        {"AveragePrice", "SALESPRICE", "AverageOfChildren"},
        {"MaxLineAmount", "LINEAMOUNT", "Max"},
        {"MinLineAmount", "LINEAMOUNT", "Min"}},
       {CustomerRef(),
        {"Product", "Product", "Product", {Constraint("DATAAREAID", "DATAAREAID"), Constraint("ITEMID", "ITEMID")}},
        {"CustomerGroup",
         "CustomerGroup",
         "CustomerGroup",
         {Constraint("DATAAREAID", "DATAAREAID"), Constraint("CUSTGROUP", "CUSTGROUP")}},
        DateRef("CreatedDate", "CREATEDDATE"),
        DateRef("ShippingDate", "SHIPPINGDATE")}},
      {"SalesOrders",
       "SALESTABLE",
       {Attr("SalesType", "SALESTYPE")},
       {{"NumberOfOrders", "", ""}, {"NumberOfOrderingCustomers", "CUSTACCOUNT", "DistinctCount"}},
       {CustomerRef(), DateRef("OrderDate", "CREATEDDATETIME"), DateRef("DeliveryDate", "DELIVERYDATE")}},
  };
  return groups;
}

const std::vector<DimensionSpec>& Dimensions() {
  static const std::vector<DimensionSpec> dimensions = {
      {"Customer",
       "Customer",
       "CUSTOMERDIMENSIONVIEW",
       {{"Customer", {"DATAAREAID", "ACCOUNTNUM"}, "ACCOUNTNUM", true},
        Attr("CustomerName", "NAME"),
        Attr("CustomerGroup", "CUSTGROUP"),
        Attr("Blocked", "BLOCKED"),
        Attr("City", "CITY"),
        Attr("Country", "COUNTRYREGIONID"),
        Attr("CompanyCustomerGroups", "COMPANYCUSTGROUPS")}},
      {"Product",
       "Product",
       "PRODUCTDIMENSIONVIEW",
       {{"Product", {"DATAAREAID", "ITEMID"}, "ITEMID", true},
        Attr("ItemName", "ITEMNAME"),
        Attr("ItemType", "ITEMTYPE"),
        Attr("ProductType", "PRODUCTTYPE"),
        Attr("ProductComment", "COMMENT")}},
      {"CustomerGroup",
       "Customer group",
       "CUSTGROUP",
       {{"CustomerGroup", {"DATAAREAID", "CUSTGROUP"}, "CUSTGROUP", true}, Attr("GroupName", "NAME")}},
  };
  return dimensions;
}

// ---------------------------------------------------------------------------------------------------------
// Discovery, as EMEX does it (spec §2.5): the enum-typed fields of measure-group and dimension sources, the
// view dependency rows, the tables.

// The AxEnum behind field `field` of element `element` (a view or a table), following view fields through their
// data sources down to a table field; "" when the field is not an enum.
std::string ResolveEnum(const std::string& element, const std::string& field) {
  if (const ViewSpec* view = FindView(element)) {
    for (const ViewFieldSpec& f : view->fields) {
      if (f.name != field || f.data_source.empty()) continue;
      // The data-source alias names its table or view; search the tree.
      std::vector<const DataSourceSpec*> stack = {&view->root};
      while (!stack.empty()) {
        const DataSourceSpec* ds = stack.back();
        stack.pop_back();
        if (ds->name == f.data_source) return ResolveEnum(ds->table, f.data_field);
        for (const DataSourceSpec& child : ds->children) stack.push_back(&child);
      }
    }
    return "";
  }
  if (const TableSpec* table = FindTable(element)) {
    for (const TableFieldSpec& f : table->fields) {
      if (f.name == ToUpper(field) && f.type == FieldType::kEnum) return f.enum_name;
    }
  }
  return "";
}

struct EnumFile {
  std::string element;  // upper case
  std::string field;    // upper case
  std::string enum_name;
};

std::vector<EnumFile> EnumFiles() {
  std::vector<std::string> sources;
  for (const MeasureGroupSpec& g : MeasureGroups()) sources.push_back(g.table);
  for (const DimensionSpec& d : Dimensions()) sources.push_back(d.table);
  std::vector<EnumFile> files;
  for (const std::string& source : sources) {
    std::vector<std::string> fields;
    if (const ViewSpec* view = FindView(source)) {
      for (const ViewFieldSpec& f : view->fields) fields.push_back(f.name);
    } else if (const TableSpec* table = FindTable(source)) {
      for (const TableFieldSpec& f : table->fields) fields.push_back(f.name);
    }
    for (const std::string& field : fields) {
      std::string enum_name = ResolveEnum(source, field);
      if (!enum_name.empty()) files.push_back({ToUpper(source), ToUpper(field), enum_name});
    }
  }
  return files;
}

struct DependencyRow {
  std::string view, root, parent;
  int depth;
};

// The rows of views\dependencies.csv: every path from each root view (the measure-group and dimension sources
// that are views) to the views it reads, ordered by root ascending and depth descending (spec §2.3). The root's
// own row names the root as its parent (inferred: ESYN does not read ParentViewName).
std::vector<DependencyRow> DependencyRows() {
  std::set<std::string> roots;
  for (const MeasureGroupSpec& g : MeasureGroups()) {
    if (FindView(g.table)) roots.insert(ToUpper(g.table));
  }
  for (const DimensionSpec& d : Dimensions()) {
    if (FindView(d.table)) roots.insert(ToUpper(d.table));
  }
  std::vector<DependencyRow> rows;
  for (const std::string& root : roots) {
    std::vector<DependencyRow> walk = {{root, root, root, 0}};
    for (size_t i = 0; i < walk.size(); ++i) {
      DependencyRow node = walk[i];
      for (const std::string& ref : FindView(node.view)->references) {
        if (FindView(ref)) walk.push_back({ref, root, node.view, node.depth + 1});
      }
    }
    std::stable_sort(walk.begin(), walk.end(),
                     [](const DependencyRow& a, const DependencyRow& b) { return a.depth > b.depth; });
    rows.insert(rows.end(), walk.begin(), walk.end());
  }
  return rows;
}

// Every table read: the tables of the views, and the measure-group and dimension sources that are tables.
std::vector<std::string> TableNames() {
  std::set<std::string> names;
  for (const ViewSpec& v : Views()) {
    for (const std::string& ref : v.references) {
      if (FindTable(ref)) names.insert(ref);
    }
  }
  for (const MeasureGroupSpec& g : MeasureGroups()) {
    if (FindTable(g.table)) names.insert(ToUpper(g.table));
  }
  for (const DimensionSpec& d : Dimensions()) {
    if (FindTable(d.table)) names.insert(ToUpper(d.table));
  }
  return {names.begin(), names.end()};
}

// ---------------------------------------------------------------------------------------------------------
// Text helpers.

std::string Crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

// What EMEX's SQL does to a definition before writing it (spec §2.3): CREATE VIEW becomes CREATE OR ALTER VIEW
// and the GetValid*InContextInfo functions become GETUTCDATE (the name only, so "[dbo]." stays).
std::string EmexDefinition(std::string sql) {
  auto replace = [&sql](std::string_view from, std::string_view to) {
    for (size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size())) {
      sql.replace(at, from.size(), to);
    }
  };
  replace("CREATE VIEW", "CREATE OR ALTER VIEW");
  replace("GetValidFromInContextInfo", "GETUTCDATE");
  replace("GetValidToInContextInfo", "GETUTCDATE");
  return sql;
}

// Newtonsoft's indented form as written on Windows: two spaces, CRLF, no final line break.
std::string EmexJson(const Json& json) { return Crlf(json.dump(2)); }

struct Timestamp {
  int year, month, day, hour, minute, second;
};

// The package's "generation time", a function of the seed: a second within 2024.
Timestamp SeedTimestamp(uint64_t seed) {
  const int64_t seconds = static_cast<int64_t>(seed % (366ULL * 86400ULL));
  Timestamp t{};
  CivilFromDays(DaysFromCivil(2024, 1, 1) + seconds / 86400, &t.year, &t.month, &t.day);
  t.hour = static_cast<int>(seconds % 86400 / 3600);
  t.minute = static_cast<int>(seconds % 3600 / 60);
  // DOS times have two-second resolution; keep the manifest and the zip entries equal.
  t.second = static_cast<int>(seconds % 60) & ~1;
  return t;
}

std::string Iso(const Timestamp& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
  return buf;
}

// ---------------------------------------------------------------------------------------------------------
// The EMEX package.

Json AttributeJson(const AttributeSpec& a) {
  Json j;
  j["Name"] = a.name;
  Json keys = Json::array();
  for (const std::string& k : a.key_fields) keys.push_back({{"DimensionField", k}});
  j["KeyFields"] = std::move(keys);
  j["NameField"] = a.name_field;
  if (a.key) j["Usage"] = 1;  // enums are numbers; Key = 1, a normal attribute is omitted
  return j;
}

Json MeasurementJson() {
  Json groups = Json::array();
  for (const MeasureGroupSpec& g : MeasureGroups()) {
    Json attributes = Json::array();
    for (const AttributeSpec& a : g.attributes) attributes.push_back(AttributeJson(a));
    Json dimensions = Json::array();
    for (const DimensionRefSpec& d : g.dimensions) {
      Json constraints = Json::array();
      for (const ConstraintSpec& c : d.constraints) {
        constraints.push_back({{"Name", c.name}, {"Field", c.field}, {"RelatedField", c.related_field}});
      }
      Json relation;
      relation["Name"] = d.dimension_attribute;
      relation["Constraints"] = std::move(constraints);
      relation["DimensionAttribute"] = d.dimension_attribute;
      Json dj;
      dj["Name"] = d.name;
      dj["DimensionName"] = d.dimension;
      dj["DimensionRelations"] = Json::array({std::move(relation)});
      dimensions.push_back(std::move(dj));
    }
    Json measures = Json::array();
    for (const MeasureSpec& m : g.measures) {
      Json mj;
      mj["Name"] = m.name;
      if (!m.aggregate.empty()) mj["DefaultAggregate"] = m.aggregate;
      if (!m.field.empty()) mj["Field"] = m.field;
      measures.push_back(std::move(mj));
    }
    Json gj;
    gj["Name"] = g.name;
    gj["Attributes"] = std::move(attributes);
    gj["Dimensions"] = std::move(dimensions);
    gj["Measures"] = std::move(measures);
    gj["Table"] = g.table;
    groups.push_back(std::move(gj));
  }
  Json j;
  j["Name"] = kSampleMeasurementName;
  j["Label"] = "Sales analysis";
  j["MeasureGroups"] = std::move(groups);
  return j;
}

Json DimensionJson(const DimensionSpec& d) {
  Json attributes = Json::array();
  for (const AttributeSpec& a : d.attributes) attributes.push_back(AttributeJson(a));
  Json j;
  j["Name"] = d.name;
  j["Label"] = d.label;
  j["Attributes"] = std::move(attributes);
  j["Table"] = d.table;
  return j;
}

Json DataSourceJson(const DataSourceSpec& ds) {
  Json j;
  j["Name"] = ds.name;
  j["Table"] = ds.table;
  if (!ds.join_mode.empty()) j["JoinMode"] = ds.join_mode;
  if (!ds.relations.empty()) {
    Json relations = Json::array();
    for (const auto& [field, related] : ds.relations) {
      relations.push_back({{"Field", field}, {"RelatedField", related}});
    }
    j["Relations"] = std::move(relations);
  }
  Json children = Json::array();
  for (const DataSourceSpec& c : ds.children) children.push_back(DataSourceJson(c));
  j["DataSources"] = std::move(children);
  return j;
}

std::string ComputedMethod(const std::string& field) {
  return "compute" + field.substr(0, 1) + ToLower(field.substr(1));
}

Json ViewJson(const ViewSpec& v) {
  Json fields = Json::array();
  for (const ViewFieldSpec& f : v.fields) {
    Json fj;
    fj["Name"] = f.name;
    if (f.data_source.empty()) {
      fj["ViewMethod"] = ComputedMethod(f.name);
    } else {
      fj["DataField"] = f.data_field;
      fj["DataSource"] = f.data_source;
    }
    fields.push_back(std::move(fj));
  }
  Json j;
  j["Name"] = v.name;
  j["Fields"] = std::move(fields);
  j["ViewMetadata"] = {{"Name", "Metadata"}, {"DataSources", Json::array({DataSourceJson(v.root)})}};
  return j;
}

Json TableJson(const TableSpec& t) {
  Json fields = Json::array();
  for (const TableFieldSpec& f : t.fields) {
    Json fj;
    fj["Name"] = f.name;
    if (f.enum_name) fj["EnumType"] = f.enum_name;
    fields.push_back(std::move(fj));
  }
  Json j;
  j["Name"] = t.name;
  if (!t.per_company) j["SaveDataPerCompany"] = "No";  // present only when not the default (Yes)
  j["Fields"] = std::move(fields);
  return j;
}

Json EnumFileJson(const EnumFile& e) {
  Json translations = Json::array();
  for (const EnumValueSpec& v : FindEnum(e.enum_name).values) {
    translations.push_back({{"Key", v.symbol}, {"Value", v.value}});
  }
  return {{"Name", e.field}, {"EnumName", ToUpper(e.enum_name)}, {"Translations", std::move(translations)}};
}

// views\dependencies.csv as EMEX writes it: every field quoted, inner quotes not escaped, CRLF.
std::string DependenciesCsv() {
  std::string out = "ViewName,RootViewName,ParentViewName,Definition\r\n";
  for (const DependencyRow& row : DependencyRows()) {
    out += "\"" + row.view + "\",\"" + row.root + "\",\"" + row.parent + "\",\"" +
           Crlf(EmexDefinition(FindView(row.view)->sql)) + "\"\r\n";
  }
  return out;
}

using Entries = std::vector<std::pair<std::string, std::string>>;  // (name, content), in zip order

Entries EmexEntries(const Timestamp& generated_at) {
  Entries e;
  Json manifest;
  manifest["MeasureName"] = kSampleMeasurementName;
  manifest["Version"] = "2.9.0.0";
  manifest["GeneratedAt"] = Iso(generated_at);
  e.emplace_back("manifest.json", EmexJson(manifest));
  e.emplace_back("measurement.json", EmexJson(MeasurementJson()));
  for (const DimensionSpec& d : Dimensions()) {
    e.emplace_back("dimensions\\" + ToUpper(d.name) + ".json", EmexJson(DimensionJson(d)));
  }
  e.emplace_back("views\\dependencies.csv", DependenciesCsv());
  std::set<std::string> views;
  for (const DependencyRow& row : DependencyRows()) views.insert(row.view);
  for (const std::string& v : views) e.emplace_back("views\\" + v + ".json", EmexJson(ViewJson(*FindView(v))));
  std::string tables_csv = "TableName\r\n";
  for (const std::string& t : TableNames()) tables_csv += t + "\r\n";
  e.emplace_back("tables\\tables.csv", tables_csv);
  for (const std::string& t : TableNames())
    e.emplace_back("tables\\" + t + ".json", EmexJson(TableJson(*FindTable(t))));
  for (const EnumFile& f : EnumFiles()) {
    e.emplace_back("enums\\" + f.element + "_" + f.field + ".json", EmexJson(EnumFileJson(f)));
  }
  return e;
}

// ---------------------------------------------------------------------------------------------------------
// AOT XML, as Visual Studio writes it: tab indentation, CRLF, the XML Schema instance namespace on the root and
// xmlns="" on the items of the root's collections.

constexpr const char* kXsi = "http://www.w3.org/2001/XMLSchema-instance";

class XmlWriter {
 public:
  explicit XmlWriter(const std::string& root) : root_(root) {
    out_ = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<" + root + " xmlns:i=\"" + kXsi + "\">\r\n";
    depth_ = 1;
  }
  // Opens an element; `type` adds i:type (on its own line, as the AOT serializer does). Items of the root's
  // collections (depth 2) get xmlns="".
  void Open(const std::string& name, const std::string& type = "") {
    Indent();
    out_ += "<" + name;
    if (depth_ == 2) out_ += " xmlns=\"\"";
    if (!type.empty()) {
      out_ += "\r\n";
      for (int i = 0; i <= depth_; ++i) out_ += '\t';
      out_ += "i:type=\"" + type + "\"";
    }
    out_ += ">\r\n";
    open_.push_back(name);
    ++depth_;
  }
  void Close() {
    --depth_;
    Indent();
    out_ += "</" + open_.back() + ">\r\n";
    open_.pop_back();
  }
  void Leaf(const std::string& name, const std::string& text) {
    Indent();
    out_ += "<" + name + ">" + Escape(text) + "</" + name + ">\r\n";
  }
  void Empty(const std::string& name) {
    Indent();
    out_ += "<" + name + " />\r\n";
  }
  std::string Finish() {
    while (!open_.empty()) Close();
    return out_ + "</" + root_ + ">";
  }

 private:
  void Indent() { out_.append(static_cast<size_t>(depth_), '\t'); }
  static std::string Escape(const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '&') {
        out += "&amp;";
      } else if (c == '<') {
        out += "&lt;";
      } else if (c == '>') {
        out += "&gt;";
      } else {
        out.push_back(c);
      }
    }
    return out;
  }
  std::string root_;
  std::string out_;
  std::vector<std::string> open_;
  int depth_ = 0;
};

void AttributeXml(XmlWriter& x, const AttributeSpec& a) {
  x.Open("AxDimensionAttribute");
  x.Leaf("Name", a.name);
  x.Open("KeyFields");
  for (const std::string& k : a.key_fields) {
    x.Open("AxDimensionFieldReference");
    x.Leaf("DimensionField", k);
    x.Close();
  }
  x.Close();
  x.Leaf("NameField", a.name_field);
  if (a.key) x.Leaf("Usage", "Key");
  x.Close();
}

std::string MeasurementXml() {
  XmlWriter x("AxAggregateMeasurement");
  x.Leaf("Name", kSampleMeasurementName);
  x.Leaf("Label", "Sales analysis");
  x.Open("MeasureGroups");
  for (const MeasureGroupSpec& g : MeasureGroups()) {
    x.Open("AxMeasureGroup");
    x.Leaf("Name", g.name);
    x.Open("Attributes");
    for (const AttributeSpec& a : g.attributes) AttributeXml(x, a);
    x.Close();
    x.Open("Dimensions");
    for (const DimensionRefSpec& d : g.dimensions) {
      x.Open("AxDimension");
      x.Leaf("Name", d.name);
      x.Leaf("DimensionName", d.dimension);
      x.Open("DimensionRelations");
      x.Open("AxDimensionRelation");
      x.Leaf("Name", d.dimension_attribute);
      x.Open("Constraints");
      for (const ConstraintSpec& c : d.constraints) {
        x.Open("AxDimensionRelationConstraint");
        x.Leaf("Name", c.name);
        x.Leaf("Field", c.field);
        x.Leaf("RelatedField", c.related_field);
        x.Close();
      }
      x.Close();
      x.Leaf("DimensionAttribute", d.dimension_attribute);
      x.Close();
      x.Close();
      x.Close();
    }
    x.Close();
    x.Open("Measures");
    for (const MeasureSpec& m : g.measures) {
      x.Open("AxMeasure");
      x.Leaf("Name", m.name);
      if (!m.aggregate.empty()) x.Leaf("DefaultAggregate", m.aggregate);
      if (!m.field.empty()) x.Leaf("Field", m.field);
      x.Close();
    }
    x.Close();
    x.Leaf("Table", g.table);
    x.Close();
  }
  x.Close();
  x.Leaf("Usage", "StagedEntityStore");
  return x.Finish();
}

std::string DimensionXml(const DimensionSpec& d) {
  XmlWriter x("AxAggregateDimension");
  x.Leaf("Name", d.name);
  x.Leaf("Label", d.label);
  x.Open("Attributes");
  for (const AttributeSpec& a : d.attributes) AttributeXml(x, a);
  x.Close();
  x.Leaf("Table", d.table);
  return x.Finish();
}

const char* FieldTypeSuffix(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "String";
    case FieldType::kInt64:
      return "Int64";
    case FieldType::kInt32:
      return "Int";
    case FieldType::kReal:
      return "Real";
    case FieldType::kDateTime:
      return "UtcDateTime";
    case FieldType::kDate:
      return "Date";
    case FieldType::kEnum:
      return "Enum";
  }
  return "String";
}

void DataSourceXml(XmlWriter& x, const DataSourceSpec& ds, const std::string& parent) {
  x.Open(parent.empty() ? "AxQuerySimpleRootDataSource" : "AxQuerySimpleEmbeddedDataSource");
  x.Leaf("Name", ds.name);
  x.Leaf("Table", ds.table);
  x.Open("DataSources");
  for (const DataSourceSpec& c : ds.children) DataSourceXml(x, c, ds.name);
  x.Close();
  if (!ds.join_mode.empty()) x.Leaf("JoinMode", ds.join_mode);
  if (!ds.relations.empty()) {
    x.Open("Relations");
    int n = 0;
    for (const auto& [field, related] : ds.relations) {
      x.Open("AxQuerySimpleDataSourceRelation");
      x.Leaf("Name", "QueryDataSourceRelation" + std::to_string(++n));
      x.Leaf("Field", field);
      x.Leaf("JoinDataSource", parent);
      x.Leaf("RelatedField", related);
      x.Close();
    }
    x.Close();
  }
  x.Close();
}

std::string ViewXml(const ViewSpec& v) {
  XmlWriter x("AxView");
  x.Leaf("Name", v.name);
  x.Open("Fields");
  for (const ViewFieldSpec& f : v.fields) {
    if (f.data_source.empty()) {
      x.Open("AxViewField", std::string("AxViewFieldComputed") + FieldTypeSuffix(f.computed_type));
      x.Leaf("Name", f.name);
      x.Leaf("ViewMethod", ComputedMethod(f.name));
    } else {
      x.Open("AxViewField", "AxViewFieldBound");
      x.Leaf("Name", f.name);
      x.Leaf("DataField", f.data_field);
      x.Leaf("DataSource", f.data_source);
    }
    x.Close();
  }
  x.Close();
  x.Open("ViewMetadata");
  x.Leaf("Name", "Metadata");
  x.Open("DataSources");
  DataSourceXml(x, v.root, "");
  x.Close();
  x.Close();
  return x.Finish();
}

std::string TableXml(const TableSpec& t) {
  XmlWriter x("AxTable");
  x.Leaf("Name", t.name);
  if (!t.per_company) x.Leaf("SaveDataPerCompany", "No");
  x.Open("Fields");
  for (const TableFieldSpec& f : t.fields) {
    x.Open("AxTableField", std::string("AxTableField") + FieldTypeSuffix(f.type));
    x.Leaf("Name", f.name);
    if (f.enum_name) x.Leaf("EnumType", f.enum_name);
    x.Close();
  }
  x.Close();
  return x.Finish();
}

std::string EnumXml(const EnumSpec& e) {
  XmlWriter x("AxEnum");
  x.Leaf("Name", e.name);
  x.Leaf("Label", e.label);
  x.Open("EnumValues");
  for (const EnumValueSpec& v : e.values) {
    x.Open("AxEnumValue");
    x.Leaf("Name", v.symbol);
    x.Leaf("Label", v.label);
    if (v.value != 0) x.Leaf("Value", std::to_string(v.value));  // an omitted Value is 0
    x.Close();
  }
  x.Close();
  return x.Finish();
}

// The AOT XML tree (paths relative to the -aot folder, '/'-separated), in a fixed order.
Entries AotEntries() {
  Entries e;
  e.emplace_back(std::string("AxAggregateMeasurement/") + kSampleMeasurementName + ".xml", MeasurementXml());
  for (const DimensionSpec& d : Dimensions())
    e.emplace_back("AxAggregateDimension/" + d.name + ".xml", DimensionXml(d));
  for (const ViewSpec& v : Views()) e.emplace_back("AxView/" + v.name + ".xml", ViewXml(v));
  for (const std::string& t : TableNames()) {
    const TableSpec& table = *FindTable(t);
    e.emplace_back(std::string("AxTable/") + table.name + ".xml", TableXml(table));
  }
  for (const EnumSpec& en : Enums()) e.emplace_back(std::string("AxEnum/") + en.name + ".xml", EnumXml(en));
  return e;
}

// ---------------------------------------------------------------------------------------------------------
// Zips, built in memory so that the bytes go through FileSystem like every other file.

std::string BuildZip(const Entries& entries, const Timestamp& t) {
  auto fail = [](const std::string& what, zip_error_t* error) {
    std::string message = "building a zip in memory: " + what + ": " + zip_error_strerror(error);
    zip_error_fini(error);
    throw Error(ErrorKind::kInternal, message);
  };
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) fail("buffer", &error);
  zip_source_keep(buffer);  // keep the bytes after zip_close
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(buffer);
    fail("open", &error);
  }
  // DOS date and time, set directly: zip_file_set_mtime would go through the local time zone.
  const auto dos_time = static_cast<zip_uint16_t>((t.hour << 11) | (t.minute << 5) | (t.second / 2));
  const auto dos_date = static_cast<zip_uint16_t>(((t.year - 1980) << 9) | (t.month << 5) | t.day);
  for (const auto& [name, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    zip_int64_t index = source ? zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) : -1;
    if (index < 0) {
      if (source) zip_source_free(source);
      std::string message = std::string("adding ") + name + ": " + zip_strerror(archive);
      zip_discard(archive);
      zip_source_free(buffer);
      throw Error(ErrorKind::kInternal, "building a zip in memory: " + message);
    }
    zip_file_set_dostime(archive, static_cast<zip_uint64_t>(index), dos_time, dos_date, 0);
  }
  if (zip_close(archive) != 0) {
    std::string message = zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(buffer);
    throw Error(ErrorKind::kInternal, "building a zip in memory: close: " + message);
  }
  std::string bytes;
  if (zip_source_open(buffer) == 0) {
    zip_source_seek(buffer, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    if (size > 0) {
      bytes.resize(static_cast<size_t>(size));
      if (zip_source_read(buffer, bytes.data(), bytes.size()) != size) bytes.clear();
    }
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  if (bytes.empty()) throw Error(ErrorKind::kInternal, "building a zip in memory: cannot read the result");
  return bytes;
}

}  // namespace

const SampleMeasurementElements& SampleElements() {
  static const SampleMeasurementElements elements = [] {
    SampleMeasurementElements e;
    for (const MeasureGroupSpec& g : MeasureGroups()) e.measure_groups.push_back(g.name);
    for (const DimensionSpec& d : Dimensions()) e.dimensions.push_back(d.name);
    e.missing_dimension = "Date_";
    for (const ViewSpec& v : Views()) e.views.push_back(v.name);
    e.tables = TableNames();
    for (const EnumSpec& en : Enums()) e.enums.push_back(en.name);
    for (const EnumFile& f : EnumFiles()) e.enum_files.push_back(f.element + "_" + f.field);
    return e;
  }();
  return elements;
}

const std::vector<SampleView>& SampleViews() {
  static const std::vector<SampleView> views = [] {
    std::vector<SampleView> out;
    for (const ViewSpec& v : Views()) out.push_back({v.name, Crlf(v.sql)});
    return out;
  }();
  return views;
}

SampleMeasurementSummary WriteSampleMeasurement(FileSystem& fs, const SampleMeasurementOptions& options) {
  if (options.out_dir.empty() || options.out_dir.front() != '/') {
    throw Error(ErrorKind::kUser, "the output directory must be an absolute path, got '" + options.out_dir + "'");
  }
  const std::string dir = JoinPath(NormalizePath(options.out_dir), "EntityStore");
  const std::string name = kSampleMeasurementName;
  const Timestamp stamp = SeedTimestamp(options.seed);
  SampleMeasurementSummary summary;
  summary.package_path = JoinPath(dir, name + ".zip");
  summary.aot_dir = JoinPath(dir, name + "-aot");
  summary.axpp_path = JoinPath(dir, name + ".axpp");

  auto write = [&](const std::string& path, const std::string& bytes) {
    fs.CreateDirectories(DirName(path));
    fs.WriteFileAtomic(path, bytes);
    summary.files.push_back(path);
    summary.bytes_written += bytes.size();
  };

  const Entries emex = EmexEntries(stamp);
  for (const auto& entry : emex) summary.zip_entries.push_back(entry.first);
  write(summary.package_path, BuildZip(emex, stamp));

  // The AOT XML, plus the AXDB side of an AOT import that XML cannot carry: the views' SQL (sys.sql_modules, one
  // CREATE VIEW per file). A real .axpp has no SQL; the sample's bundles it so that it imports on its own.
  Entries aot = AotEntries();
  for (const SampleView& v : SampleViews()) aot.emplace_back("ViewDefinitions/" + v.name + ".sql", v.definition);
  for (const auto& [path, content] : aot) write(JoinPath(summary.aot_dir, path), content);
  write(summary.axpp_path, BuildZip(aot, stamp));

  std::sort(summary.files.begin(), summary.files.end());
  return summary;
}

}  // namespace cdmlake::generate
