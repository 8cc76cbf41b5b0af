-- fact view M_Facts (measure group Facts)
CREATE OR ALTER VIEW M_Facts AS SELECT SalesId AS ORDER,LineNum AS LINENUM,salesid AS SALESID,SiteId AS SITE,Company AS DATAAREAID,RECID,PARTITION FROM FactTable

-- warning: M_Facts: views\FACTTABLE.json not found: FactTable is read as a table, no view fields emitted
