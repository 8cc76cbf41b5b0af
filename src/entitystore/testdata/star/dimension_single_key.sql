-- dialect: duckdb

-- dimension M_Item (metadata, reference Item, dimension Item, key M_Item_FK, attributes ITEM,GROUP)
CREATE OR REPLACE VIEW "M_Item" AS SELECT "ItemId" AS "M_Item_FK", "ItemId" AS "ITEM", "ItemGroupId" AS "GROUP", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "InventTable";

-- fact M_Sales (measure group Sales, measures , dimensions Item->M_Item, attributes )
CREATE OR REPLACE VIEW "M_Sales" AS SELECT "ItemId" AS "ITEMID", "ItemId" AS "M_Item_FK", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "SalesLine";

