-- dialect: duckdb

-- dimension M_Customer (metadata, reference Customer, dimension Customer, key M_Customer_FK, attributes DATAAREAID,CUSTOMER)
CREATE OR REPLACE VIEW "M_Customer" AS SELECT CONCAT("DataAreaId", '_', "AccountNum") AS "ROW_UNIQUEKEY", CONCAT("DataAreaId", '_', "AccountNum") AS "M_Customer_FK", "DataAreaId" AS "DATAAREAID", "AccountNum" AS "CUSTOMER", "RECID" AS "RECID", "PARTITION" AS "PARTITION" FROM "CustTable";

-- fact M_Sales (measure group Sales, measures , dimensions Customer->M_Customer, attributes )
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "CustAccount" AS "CUSTACCOUNT", "DataAreaId" AS "COMPANY", CONCAT("CustAccount", '_', "DataAreaId") AS "M_Customer_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION" FROM "SalesLine";

-- warning: measure group Sales, dimension reference Customer: no relation constraint names the dimension key field DataAreaId of dimension Customer; relating the fields in constraint order
