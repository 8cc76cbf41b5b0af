-- dimension view M_Item (measure group Facts)
CREATE OR ALTER VIEW M_Item AS SELECT CONCAT(Key,'_',count,'_',Id) AS ROW_UNIQUEKEY,ROW_NUMBER() OVER(ORDER BY KEY_,COUNT_,ID) AS M_Item_FK,KEY,COUNT,ID,RECID,PARTITION,DATAAREAID FROM ItemTable

-- fact view M_Facts (measure group Facts)
CREATE OR ALTER VIEW M_Facts AS SELECT Key_ AS COUNT_,comment_ AS CODE,Account AS KEY_,Region AS REGION,Amount AS COMMENT_,Key AS KEY,Key AS M_Item_FK,RECID,PARTITION,DATAAREAID FROM FactTable

-- warning: M_Facts: views\FACTTABLE.json not found: FactTable is read as a table, no view fields emitted
