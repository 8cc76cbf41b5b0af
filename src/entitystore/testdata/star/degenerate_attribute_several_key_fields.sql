-- dialect: duckdb

-- fact M_Sales (measure group Sales, measures , dimensions , attributes LINENUM,ORDER,SALESID)
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "LineNum" AS "LINENUM", "SalesId" AS "ORDER", "salesid" AS "SALESID", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";


-- dialect: synapse

-- fact M_Sales (measure group Sales, measures , dimensions , attributes LINENUM,ORDER,SALESID)
CREATE OR ALTER VIEW [dbo].[M_Sales] AS SELECT [LineNum] AS [LINENUM], [SalesId] AS [ORDER], [salesid] AS [SALESID], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID] FROM [dbo].[SalesLine];

