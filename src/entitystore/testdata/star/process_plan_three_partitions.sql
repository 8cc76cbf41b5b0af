-- dimension M_Customer -> temp."__cdmlake_dim_M_Customer"
CREATE OR REPLACE TEMP TABLE "__cdmlake_dim_M_Customer" AS SELECT "AccountNum" AS "M_Customer_FK", "AccountNum" AS "CUSTOMER", "Name" AS "NAME" FROM "CustTable";

-- fact partition M_Sales partition 0 -> temp."__cdmlake_fact_M_Sales_p0"
CREATE OR REPLACE TEMP TABLE "__cdmlake_fact_M_Sales_p0" AS SELECT * FROM (SELECT "Region" AS "REGION", "SalesStatus" AS "STATUS_VALUE", "LineAmount" AS "AMOUNT", 1 AS "LINES", "CustAccount" AS "CUSTOMERS", "Price" AS "MINPRICE", "Price" AS "MAXPRICE", "Price" AS "AVGPRICE", "CustAccount" AS "CUSTACCOUNT", "CustAccount" AS "M_Customer_FK", "InvoiceDate" AS "INVOICEDATE", CAST("InvoiceDate" AS DATE) AS "M_InvoiceDate_FK", "RECID" AS "RECID", CASE "SalesStatus" WHEN 1 THEN 'Open' WHEN 3 THEN 'Invoiced' END AS "STATUS" FROM "SalesLine") AS f WHERE hash("M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE") % 3 = 0;

-- aggregate partition M_Sales_AGG partition 0 -> temp."__cdmlake_agg_M_Sales_p0"
CREATE OR REPLACE TEMP TABLE "__cdmlake_agg_M_Sales_p0" AS SELECT "M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE", count(*) AS "__ROWS", sum("AMOUNT") AS "AMOUNT", count("LINES") AS "LINES", count(DISTINCT "CUSTOMERS") AS "CUSTOMERS", min("MINPRICE") AS "MINPRICE", max("MAXPRICE") AS "MAXPRICE", avg("AVGPRICE") AS "AVGPRICE", sum("AVGPRICE") AS "AVGPRICE__SUM", count("AVGPRICE") AS "AVGPRICE__COUNT" FROM temp."__cdmlake_fact_M_Sales_p0" GROUP BY "M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE";

-- fact partition M_Sales partition 1 -> temp."__cdmlake_fact_M_Sales_p1"
CREATE OR REPLACE TEMP TABLE "__cdmlake_fact_M_Sales_p1" AS SELECT * FROM (SELECT "Region" AS "REGION", "SalesStatus" AS "STATUS_VALUE", "LineAmount" AS "AMOUNT", 1 AS "LINES", "CustAccount" AS "CUSTOMERS", "Price" AS "MINPRICE", "Price" AS "MAXPRICE", "Price" AS "AVGPRICE", "CustAccount" AS "CUSTACCOUNT", "CustAccount" AS "M_Customer_FK", "InvoiceDate" AS "INVOICEDATE", CAST("InvoiceDate" AS DATE) AS "M_InvoiceDate_FK", "RECID" AS "RECID", CASE "SalesStatus" WHEN 1 THEN 'Open' WHEN 3 THEN 'Invoiced' END AS "STATUS" FROM "SalesLine") AS f WHERE hash("M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE") % 3 = 1;

-- aggregate partition M_Sales_AGG partition 1 -> temp."__cdmlake_agg_M_Sales_p1"
CREATE OR REPLACE TEMP TABLE "__cdmlake_agg_M_Sales_p1" AS SELECT "M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE", count(*) AS "__ROWS", sum("AMOUNT") AS "AMOUNT", count("LINES") AS "LINES", count(DISTINCT "CUSTOMERS") AS "CUSTOMERS", min("MINPRICE") AS "MINPRICE", max("MAXPRICE") AS "MAXPRICE", avg("AVGPRICE") AS "AVGPRICE", sum("AVGPRICE") AS "AVGPRICE__SUM", count("AVGPRICE") AS "AVGPRICE__COUNT" FROM temp."__cdmlake_fact_M_Sales_p1" GROUP BY "M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE";

-- fact partition M_Sales partition 2 -> temp."__cdmlake_fact_M_Sales_p2"
CREATE OR REPLACE TEMP TABLE "__cdmlake_fact_M_Sales_p2" AS SELECT * FROM (SELECT "Region" AS "REGION", "SalesStatus" AS "STATUS_VALUE", "LineAmount" AS "AMOUNT", 1 AS "LINES", "CustAccount" AS "CUSTOMERS", "Price" AS "MINPRICE", "Price" AS "MAXPRICE", "Price" AS "AVGPRICE", "CustAccount" AS "CUSTACCOUNT", "CustAccount" AS "M_Customer_FK", "InvoiceDate" AS "INVOICEDATE", CAST("InvoiceDate" AS DATE) AS "M_InvoiceDate_FK", "RECID" AS "RECID", CASE "SalesStatus" WHEN 1 THEN 'Open' WHEN 3 THEN 'Invoiced' END AS "STATUS" FROM "SalesLine") AS f WHERE hash("M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE") % 3 = 2;

-- aggregate partition M_Sales_AGG partition 2 -> temp."__cdmlake_agg_M_Sales_p2"
CREATE OR REPLACE TEMP TABLE "__cdmlake_agg_M_Sales_p2" AS SELECT "M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE", count(*) AS "__ROWS", sum("AMOUNT") AS "AMOUNT", count("LINES") AS "LINES", count(DISTINCT "CUSTOMERS") AS "CUSTOMERS", min("MINPRICE") AS "MINPRICE", max("MAXPRICE") AS "MAXPRICE", avg("AVGPRICE") AS "AVGPRICE", sum("AVGPRICE") AS "AVGPRICE__SUM", count("AVGPRICE") AS "AVGPRICE__COUNT" FROM temp."__cdmlake_fact_M_Sales_p2" GROUP BY "M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE";

-- merge M_Sales -> temp."__cdmlake_fact_M_Sales"
CREATE OR REPLACE TEMP VIEW "__cdmlake_fact_M_Sales" AS SELECT * FROM temp."__cdmlake_fact_M_Sales_p0" UNION ALL SELECT * FROM temp."__cdmlake_fact_M_Sales_p1" UNION ALL SELECT * FROM temp."__cdmlake_fact_M_Sales_p2";
CREATE OR REPLACE TEMP VIEW "__cdmlake_agg_M_Sales" AS SELECT * FROM temp."__cdmlake_agg_M_Sales_p0" UNION ALL SELECT * FROM temp."__cdmlake_agg_M_Sales_p1" UNION ALL SELECT * FROM temp."__cdmlake_agg_M_Sales_p2";

-- output M_Customer = temp."__cdmlake_dim_M_Customer"
-- output M_Sales = temp."__cdmlake_fact_M_Sales"
-- output M_Sales_AGG = temp."__cdmlake_agg_M_Sales"
