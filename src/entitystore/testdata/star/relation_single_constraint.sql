-- dialect: duckdb

-- dimension M_Customer (metadata, reference Customer, dimension Customer, key M_Customer_FK, attributes CUSTOMER)
CREATE OR REPLACE VIEW "M_Customer" AS SELECT "AccountNum" AS "M_Customer_FK", "AccountNum" AS "CUSTOMER", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "CustTable";

-- dimension M_Currency (metadata, reference Currency, dimension Currency, key M_Currency_FK, attributes CURRENCY)
CREATE OR REPLACE VIEW "M_Currency" AS SELECT "CurrencyCode" AS "M_Currency_FK", "CurrencyCode" AS "CURRENCY", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "Currency";

-- fact M_Sales (measure group Sales, measures , dimensions Customer->M_Customer,Currency->M_Currency, attributes )
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "CustAccount" AS "CUSTACCOUNT", "CustAccount" AS "M_Customer_FK", "CurrencyCode" AS "CURRENCYCODE", "CurrencyCode" AS "M_Currency_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";


-- dialect: synapse

-- dimension M_Customer (metadata, reference Customer, dimension Customer, key M_Customer_FK, attributes CUSTOMER)
CREATE OR ALTER VIEW [dbo].[M_Customer] AS SELECT [AccountNum] AS [M_Customer_FK], [AccountNum] AS [CUSTOMER], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID] FROM [dbo].[CustTable];

-- dimension M_Currency (metadata, reference Currency, dimension Currency, key M_Currency_FK, attributes CURRENCY)
CREATE OR ALTER VIEW [dbo].[M_Currency] AS SELECT [CurrencyCode] AS [M_Currency_FK], [CurrencyCode] AS [CURRENCY], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID] FROM [dbo].[Currency];

-- fact M_Sales (measure group Sales, measures , dimensions Customer->M_Customer,Currency->M_Currency, attributes )
CREATE OR ALTER VIEW [dbo].[M_Sales] AS SELECT [CustAccount] AS [CUSTACCOUNT], [CustAccount] AS [M_Customer_FK], [CurrencyCode] AS [CURRENCYCODE], [CurrencyCode] AS [M_Currency_FK], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID] FROM [dbo].[SalesLine];

