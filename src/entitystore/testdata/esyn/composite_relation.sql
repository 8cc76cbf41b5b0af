-- dimension view M_Customer (measure group Facts)
CREATE OR ALTER VIEW M_Customer AS SELECT CONCAT(AccountNum,'_',DataAreaId) AS ROW_UNIQUEKEY,ROW_NUMBER() OVER(ORDER BY ACCOUNTNUM,DATAAREAID) AS M_Customer_FK,ACCOUNTNUM,DATAAREAID,RECID,PARTITION FROM CustTable

-- fact view M_Facts (measure group Facts)
CREATE OR ALTER VIEW M_Facts AS SELECT CustAccount AS CUSTACCOUNT,RecId AS RECID,DataAreaId AS DATAAREAID,CONCAT(CustAccount,'_',DataAreaId) AS M_Customer_FK,InvoiceAccount AS ACCOUNT,Partition AS PARTITION,CONCAT(InvoiceAccount,'_',Partition) AS M_Customer_FK FROM FactView

