-- dialect: duckdb

-- dimension M_OrderDate (calendar, reference OrderDate, dimension Date_, key M_OrderDate_FK, attributes DATEKEY,DATE,DAY,DAYOFWEEK,DAYNAME,WEEK,MONTH,MONTHNAME,QUARTER,QUARTERNAME,YEAR,YEARMONTH,YEARQUARTER)
CREATE OR REPLACE VIEW "M_OrderDate" AS SELECT "DATEKEY" AS "M_OrderDate_FK", "DATEKEY" AS "DATEKEY", "DATEKEY" AS "DATE", dayofmonth("DATEKEY") AS "DAY", isodow("DATEKEY") AS "DAYOFWEEK", dayname("DATEKEY") AS "DAYNAME", weekofyear("DATEKEY") AS "WEEK", month("DATEKEY") AS "MONTH", monthname("DATEKEY") AS "MONTHNAME", quarter("DATEKEY") AS "QUARTER", 'Q' || quarter("DATEKEY") AS "QUARTERNAME", year("DATEKEY") AS "YEAR", strftime("DATEKEY", '%Y-%m') AS "YEARMONTH", year("DATEKEY") || '-Q' || quarter("DATEKEY") AS "YEARQUARTER" FROM (SELECT CAST(r.day AS DATE) AS "DATEKEY" FROM (SELECT date_trunc('year', coalesce(min(d), current_date)) AS first_day, date_trunc('year', coalesce(max(d), current_date)) + INTERVAL 1 YEAR AS end_day FROM (SELECT CAST("CreatedDate" AS DATE) AS d FROM "SalesLine" UNION ALL SELECT CAST("ShippingDate" AS DATE) AS d FROM "SalesLine" UNION ALL SELECT CAST("ReturnDate" AS DATE) AS d FROM "ReturnLine")) b, range(b.first_day, b.end_day, INTERVAL 1 DAY) r(day)) calendar;

-- dimension M_ShipDate (calendar, reference ShipDate, dimension date_, key M_ShipDate_FK, attributes DATEKEY,DATE,DAY,DAYOFWEEK,DAYNAME,WEEK,MONTH,MONTHNAME,QUARTER,QUARTERNAME,YEAR,YEARMONTH,YEARQUARTER)
CREATE OR REPLACE VIEW "M_ShipDate" AS SELECT "DATEKEY" AS "M_ShipDate_FK", "DATEKEY" AS "DATEKEY", "DATEKEY" AS "DATE", dayofmonth("DATEKEY") AS "DAY", isodow("DATEKEY") AS "DAYOFWEEK", dayname("DATEKEY") AS "DAYNAME", weekofyear("DATEKEY") AS "WEEK", month("DATEKEY") AS "MONTH", monthname("DATEKEY") AS "MONTHNAME", quarter("DATEKEY") AS "QUARTER", 'Q' || quarter("DATEKEY") AS "QUARTERNAME", year("DATEKEY") AS "YEAR", strftime("DATEKEY", '%Y-%m') AS "YEARMONTH", year("DATEKEY") || '-Q' || quarter("DATEKEY") AS "YEARQUARTER" FROM (SELECT CAST(r.day AS DATE) AS "DATEKEY" FROM (SELECT date_trunc('year', coalesce(min(d), current_date)) AS first_day, date_trunc('year', coalesce(max(d), current_date)) + INTERVAL 1 YEAR AS end_day FROM (SELECT CAST("CreatedDate" AS DATE) AS d FROM "SalesLine" UNION ALL SELECT CAST("ShippingDate" AS DATE) AS d FROM "SalesLine" UNION ALL SELECT CAST("ReturnDate" AS DATE) AS d FROM "ReturnLine")) b, range(b.first_day, b.end_day, INTERVAL 1 DAY) r(day)) calendar;

-- fact M_Sales (measure group Sales, measures , dimensions OrderDate->M_OrderDate,ShipDate->M_ShipDate, attributes )
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "CreatedDate" AS "CREATEDDATE", CAST("CreatedDate" AS DATE) AS "M_OrderDate_FK", "ShippingDate" AS "SHIPPINGDATE", CAST("ShippingDate" AS DATE) AS "M_ShipDate_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";

-- fact M_Returns (measure group Returns, measures , dimensions OrderDate->M_OrderDate, attributes )
CREATE OR REPLACE VIEW "M_Returns" AS SELECT "ReturnDate" AS "RETURNDATE", CAST("ReturnDate" AS DATE) AS "M_OrderDate_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "ReturnLine";

-- calendar field: SalesLine.CreatedDate
-- calendar field: SalesLine.ShippingDate
-- calendar field: ReturnLine.ReturnDate
-- warning: the package has no metadata for the platform date dimension Date_: cdmlake generates a calendar covering the fact dates (use --date-table to use a lake table keyed by DATEKEY instead)
