-- dialect: duckdb

-- dimension M_Item (metadata, reference Item, dimension Item, key M_Item_FK, attributes ITEM,COMPANY)
CREATE OR REPLACE VIEW "M_Item" AS SELECT "ItemId" AS "M_Item_FK", "ItemId" AS "ITEM", "DATAAREAID" AS "COMPANY", "RECID" AS "RECID" FROM "InventTable";

-- fact M_Sales (measure group Sales, measures , dimensions Item->M_Item, attributes RECID)
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "LineRecId" AS "RECID", "ItemId" AS "ITEMID", "ItemId" AS "M_Item_FK", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";

