-- dialect: duckdb

-- dimension M_Customer (metadata, reference Customer, dimension Customer, key M_Customer_FK, attributes DATAAREAID,CUSTOMER,NAME)
CREATE OR REPLACE VIEW "M_Customer" AS SELECT CONCAT("DataAreaId", '_', "AccountNum") AS "ROW_UNIQUEKEY", CONCAT("DataAreaId", '_', "AccountNum") AS "M_Customer_FK", "DataAreaId" AS "DATAAREAID", "AccountNum" AS "CUSTOMER", "Name" AS "NAME", "RECID" AS "RECID", "PARTITION" AS "PARTITION" FROM "CustTable";

-- fact M_Sales (measure group Sales, measures , dimensions Customer->M_Customer, attributes )
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "CustAccount" AS "CUSTACCOUNT", "DataAreaId" AS "COMPANY", CONCAT("DataAreaId", '_', "CustAccount") AS "M_Customer_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION" FROM "SalesLine";


-- dialect: synapse

-- dimension M_Customer (metadata, reference Customer, dimension Customer, key M_Customer_FK, attributes DATAAREAID,CUSTOMER,NAME)
CREATE OR ALTER VIEW [dbo].[M_Customer] AS SELECT CONCAT([DataAreaId], '_', [AccountNum]) AS [ROW_UNIQUEKEY], CONCAT([DataAreaId], '_', [AccountNum]) AS [M_Customer_FK], [DataAreaId] AS [DATAAREAID], [AccountNum] AS [CUSTOMER], [Name] AS [NAME], [RECID] AS [RECID], [PARTITION] AS [PARTITION] FROM [dbo].[CustTable];

-- fact M_Sales (measure group Sales, measures , dimensions Customer->M_Customer, attributes )
CREATE OR ALTER VIEW [dbo].[M_Sales] AS SELECT [CustAccount] AS [CUSTACCOUNT], [DataAreaId] AS [COMPANY], CONCAT([DataAreaId], '_', [CustAccount]) AS [M_Customer_FK], [RECID] AS [RECID], [PARTITION] AS [PARTITION] FROM [dbo].[SalesLine];

