-- dialect: duckdb

-- dimension M_InvoiceDate (lake table, reference InvoiceDate, dimension Date_, key M_InvoiceDate_FK, attributes DATEKEY,FISCALYEAR)
CREATE OR REPLACE VIEW "M_InvoiceDate" AS SELECT CAST("DATEKEY" AS DATE) AS "M_InvoiceDate_FK", "DATEKEY" AS "DATEKEY", "FiscalYear" AS "FISCALYEAR" FROM "DateDim";

-- fact M_Sales (measure group Sales, measures , dimensions InvoiceDate->M_InvoiceDate, attributes )
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "InvoiceDate" AS "INVOICEDATE", CAST("InvoiceDate" AS DATE) AS "M_InvoiceDate_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";

-- calendar field: SalesLine.InvoiceDate

-- dialect: synapse

-- dimension M_InvoiceDate (lake table, reference InvoiceDate, dimension Date_, key M_InvoiceDate_FK, attributes DATEKEY,FISCALYEAR)
CREATE OR ALTER VIEW [dbo].[M_InvoiceDate] AS SELECT CAST([DATEKEY] AS DATE) AS [M_InvoiceDate_FK], [DATEKEY] AS [DATEKEY], [FiscalYear] AS [FISCALYEAR] FROM [dbo].[DateDim];

-- fact M_Sales (measure group Sales, measures , dimensions InvoiceDate->M_InvoiceDate, attributes )
CREATE OR ALTER VIEW [dbo].[M_Sales] AS SELECT [InvoiceDate] AS [INVOICEDATE], CAST([InvoiceDate] AS DATE) AS [M_InvoiceDate_FK], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID] FROM [dbo].[SalesLine];

