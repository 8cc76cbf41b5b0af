-- dialect: duckdb

-- fact M_Sales (measure group Sales, measures Lines=LINES:Count,Rows=ROWS:Count,Qty=QTY:Sum,Price=PRICE:Max, dimensions , attributes )
CREATE OR REPLACE VIEW "M_Sales" AS SELECT 1 AS "LINES", 1 AS "ROWS", "Qty" AS "QTY", "SalesPrice" AS "PRICE", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";

