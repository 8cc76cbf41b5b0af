-- dialect: duckdb

-- fact M_Sales (measure group Sales, measures , dimensions , attributes REGION,SITE)
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "RegionCode" AS "REGION", "InventSiteId" AS "SITE", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";

