-- dialect: duckdb

-- dimension M_InvoiceDate (calendar, reference InvoiceDate, dimension Date_, key M_InvoiceDate_FK, attributes DATEKEY,DATE,DAY,DAYOFWEEK,DAYNAME,WEEK,MONTH,MONTHNAME,QUARTER,QUARTERNAME,YEAR,YEARMONTH,YEARQUARTER)
CREATE OR REPLACE VIEW "M_InvoiceDate" AS SELECT "DATEKEY" AS "M_InvoiceDate_FK", "DATEKEY" AS "DATEKEY", "DATEKEY" AS "DATE", dayofmonth("DATEKEY") AS "DAY", isodow("DATEKEY") AS "DAYOFWEEK", dayname("DATEKEY") AS "DAYNAME", weekofyear("DATEKEY") AS "WEEK", month("DATEKEY") AS "MONTH", monthname("DATEKEY") AS "MONTHNAME", quarter("DATEKEY") AS "QUARTER", 'Q' || quarter("DATEKEY") AS "QUARTERNAME", year("DATEKEY") AS "YEAR", strftime("DATEKEY", '%Y-%m') AS "YEARMONTH", year("DATEKEY") || '-Q' || quarter("DATEKEY") AS "YEARQUARTER" FROM (SELECT CAST(r.day AS DATE) AS "DATEKEY" FROM (SELECT date_trunc('year', coalesce(min(d), current_date)) AS first_day, date_trunc('year', coalesce(max(d), current_date)) + INTERVAL 1 YEAR AS end_day FROM (SELECT CAST("InvoiceDate" AS DATE) AS d FROM "SalesLine")) b, range(b.first_day, b.end_day, INTERVAL 1 DAY) r(day)) calendar;

-- fact M_Sales (measure group Sales, measures Amount=AMOUNT:Sum, dimensions InvoiceDate->M_InvoiceDate, attributes )
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "LineAmount" AS "AMOUNT", "InvoiceDate" AS "INVOICEDATE", CAST("InvoiceDate" AS DATE) AS "M_InvoiceDate_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";

-- calendar field: SalesLine.InvoiceDate
-- warning: the package has no metadata for the platform date dimension Date_: cdmlake generates a calendar covering the fact dates (use --date-table to use a lake table keyed by DATEKEY instead)

-- dialect: synapse

-- dimension M_InvoiceDate (calendar, reference InvoiceDate, dimension Date_, key M_InvoiceDate_FK, attributes DATEKEY,DATE,DAY,DAYOFWEEK,DAYNAME,WEEK,MONTH,MONTHNAME,QUARTER,QUARTERNAME,YEAR,YEARMONTH,YEARQUARTER)
CREATE OR ALTER VIEW [dbo].[M_InvoiceDate] AS SELECT [DATEKEY] AS [M_InvoiceDate_FK], [DATEKEY] AS [DATEKEY], [DATEKEY] AS [DATE], DAY([DATEKEY]) AS [DAY], ((DATEPART(weekday, [DATEKEY]) + @@DATEFIRST + 5) % 7 + 1) AS [DAYOFWEEK], DATENAME(weekday, [DATEKEY]) AS [DAYNAME], DATEPART(iso_week, [DATEKEY]) AS [WEEK], MONTH([DATEKEY]) AS [MONTH], DATENAME(month, [DATEKEY]) AS [MONTHNAME], DATEPART(quarter, [DATEKEY]) AS [QUARTER], CONCAT('Q', DATEPART(quarter, [DATEKEY])) AS [QUARTERNAME], YEAR([DATEKEY]) AS [YEAR], FORMAT([DATEKEY], 'yyyy-MM') AS [YEARMONTH], CONCAT(YEAR([DATEKEY]), '-Q', DATEPART(quarter, [DATEKEY])) AS [YEARQUARTER] FROM (SELECT DATEADD(day, n.i, b.first_day) AS [DATEKEY] FROM (SELECT DATEFROMPARTS(YEAR(COALESCE(MIN(d), GETUTCDATE())), 1, 1) AS first_day, DATEFROMPARTS(YEAR(COALESCE(MAX(d), GETUTCDATE())) + 1, 1, 1) AS end_day FROM (SELECT CAST([InvoiceDate] AS DATE) AS d FROM [dbo].[SalesLine]) dates) b CROSS JOIN (SELECT TOP (100000) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) - 1 AS i FROM sys.all_columns a CROSS JOIN sys.all_columns c) n WHERE DATEADD(day, n.i, b.first_day) < b.end_day) calendar;

-- fact M_Sales (measure group Sales, measures Amount=AMOUNT:Sum, dimensions InvoiceDate->M_InvoiceDate, attributes )
CREATE OR ALTER VIEW [dbo].[M_Sales] AS SELECT [LineAmount] AS [AMOUNT], [InvoiceDate] AS [INVOICEDATE], CAST([InvoiceDate] AS DATE) AS [M_InvoiceDate_FK], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID] FROM [dbo].[SalesLine];

