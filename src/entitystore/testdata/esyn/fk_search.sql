-- dimension view M_Product (measure group Facts)
CREATE OR ALTER VIEW M_Product AS SELECT ROW_NUMBER() OVER(ORDER BY ITEMID) AS M_Product_FK,ItemId AS ITEM,RECID,PARTITION,DATAAREAID FROM ProductView

-- dimension view M_Worker (measure group Facts)
CREATE OR ALTER VIEW M_Worker AS SELECT ROW_NUMBER() OVER(ORDER BY WORKER) AS M_Worker_FK,Worker AS WORKER,RECID,PARTITION,DATAAREAID FROM WorkerView

-- dimension view M_Unit (measure group Facts)
CREATE OR ALTER VIEW M_Unit AS SELECT ROW_NUMBER() OVER(ORDER BY UNITID) AS M_Unit_FK,UnitId AS UNIT,RECID,PARTITION,DATAAREAID FROM UnitView

-- dimension view M_Site (measure group Facts)
CREATE OR ALTER VIEW M_Site AS SELECT ROW_NUMBER() OVER(ORDER BY SITEID) AS M_Site_FK,SiteId AS SITE,RECID,PARTITION,DATAAREAID FROM SiteView

-- fact view M_Facts (measure group Facts)
CREATE OR ALTER VIEW M_Facts AS SELECT ItemId AS ITEM,ItemId AS M_Product_FK,Worker AS WORKER,Worker AS M_Worker_FK,UnitId AS UNIT,SiteId AS SITE,RECID,PARTITION,DATAAREAID FROM FactTable

-- warning: M_Facts: views\FACTTABLE.json not found: FactTable is read as a table, no view fields emitted
-- warning: M_Facts: no M_Unit_FK column: queries\MISSINGQUERY.json (the query of view UnitView) not found
-- warning: M_Facts: no M_Site_FK column: table InventSite is shared (SaveDataPerCompany is set)
