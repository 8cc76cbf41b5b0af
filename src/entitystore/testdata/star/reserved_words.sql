-- dialect: duckdb

-- dimension M_Item (metadata, reference Item, dimension Item, key M_Item_FK, attributes ITEM,COUNT_)
CREATE OR REPLACE VIEW "M_Item" AS SELECT "KEY_" AS "M_Item_FK", "KEY_" AS "ITEM", "COUNT_" AS "COUNT_", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "InventTable";

-- fact M_Sales (measure group Sales, measures Count=COUNT_:Count,Total=TOTAL:Sum, dimensions Item->M_Item, attributes KEY_,COMMENT_,REGION)
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "LineId" AS "KEY_", "COMMENT_" AS "COMMENT_", "KEY_" AS "REGION", "Qty" AS "COUNT_", "COUNT_" AS "TOTAL", "COMMENT_" AS "ITEM", "COMMENT_" AS "M_Item_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";


-- dialect: synapse

-- dimension M_Item (metadata, reference Item, dimension Item, key M_Item_FK, attributes ITEM,COUNT_)
CREATE OR ALTER VIEW [dbo].[M_Item] AS SELECT [KEY_] AS [M_Item_FK], [KEY_] AS [ITEM], [COUNT_] AS [COUNT_], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID] FROM [dbo].[InventTable];

-- fact M_Sales (measure group Sales, measures Count=COUNT_:Count,Total=TOTAL:Sum, dimensions Item->M_Item, attributes KEY_,COMMENT_,REGION)
CREATE OR ALTER VIEW [dbo].[M_Sales] AS SELECT [LineId] AS [KEY_], [COMMENT_] AS [COMMENT_], [KEY_] AS [REGION], [Qty] AS [COUNT_], [COUNT_] AS [TOTAL], [COMMENT_] AS [ITEM], [COMMENT_] AS [M_Item_FK], [RECID] AS [RECID], [PARTITION] AS [PARTITION], [DATAAREAID] AS [DATAAREAID] FROM [dbo].[SalesLine];

