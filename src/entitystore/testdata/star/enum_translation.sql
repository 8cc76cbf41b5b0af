-- dialect: duckdb

-- dimension M_Customer (metadata, reference Customer, dimension Customer, key M_Customer_FK, attributes CUSTOMER,BLOCKED)
CREATE OR REPLACE VIEW "M_Customer" AS SELECT "AccountNum" AS "M_Customer_FK", "AccountNum" AS "CUSTOMER_VALUE", "Blocked" AS "BLOCKED_VALUE", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID", CASE "AccountNum" WHEN 0 THEN 'Never' END AS "CUSTOMER", CASE "Blocked" WHEN 0 THEN 'No' WHEN 2 THEN 'All' END AS "BLOCKED" FROM "CustTable";

-- fact M_Sales (measure group Sales, measures Qty=QTY:Sum, dimensions Customer->M_Customer, attributes STATUS)
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "SalesStatus" AS "STATUS_VALUE", "DeliveryMode" AS "DELIVERYMODE_VALUE", "Notes" AS "NOTES", "Qty" AS "QTY", "CustGroup" AS "CUSTGROUPID_VALUE", "CustGroup" AS "M_Customer_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID", CASE "SalesStatus" WHEN 1 THEN 'Open' WHEN 2 THEN 'Delivered' WHEN 3 THEN 'Invoiced' END AS "STATUS", CASE "DeliveryMode" WHEN 0 THEN 'Road' WHEN 1 THEN 'Air' END AS "DELIVERYMODE", CASE "CustGroup" WHEN 0 THEN 'Never' END AS "CUSTGROUPID" FROM "SalesView";


-- dialect: synapse

-- dimension M_Customer (metadata, reference Customer, dimension Customer, key M_Customer_FK, attributes CUSTOMER,BLOCKED)
CREATE OR ALTER VIEW [dbo].[M_Customer] AS SELECT [AccountNum] AS [M_Customer_FK], [AccountNum] AS [CUSTOMER_VALUE], [Blocked] AS [BLOCKED_VALUE], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID], CASE [AccountNum] WHEN 0 THEN 'Never' END AS [CUSTOMER], CASE [Blocked] WHEN 0 THEN 'No' WHEN 2 THEN 'All' END AS [BLOCKED] FROM [dbo].[CustTable];

-- fact M_Sales (measure group Sales, measures Qty=QTY:Sum, dimensions Customer->M_Customer, attributes STATUS)
CREATE OR ALTER VIEW [dbo].[M_Sales] AS SELECT [SalesStatus] AS [STATUS_VALUE], [DeliveryMode] AS [DELIVERYMODE_VALUE], [Notes] AS [NOTES], [Qty] AS [QTY], [CustGroup] AS [CUSTGROUPID_VALUE], [CustGroup] AS [M_Customer_FK], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID], CASE [SalesStatus] WHEN 1 THEN 'Open' WHEN 2 THEN 'Delivered' WHEN 3 THEN 'Invoiced' END AS [STATUS], CASE [DeliveryMode] WHEN 0 THEN 'Road' WHEN 1 THEN 'Air' END AS [DELIVERYMODE], CASE [CustGroup] WHEN 0 THEN 'Never' END AS [CUSTGROUPID] FROM [dbo].[SalesView];

