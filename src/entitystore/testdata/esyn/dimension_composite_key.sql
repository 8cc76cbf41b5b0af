-- dimension view Sales_Customer (measure group Lines)
CREATE OR ALTER VIEW Sales_Customer AS SELECT CONCAT(AccountNum,'_',DataAreaId) AS ROW_UNIQUEKEY,ROW_NUMBER() OVER(ORDER BY ACCOUNTNUM,DATAAREAID) AS Sales_Customer_FK,AccountNum AS CUSTOMER,DATAAREAID,Name AS NAME,CustGroup AS GROUP,RECID,PARTITION FROM CustTableView

-- fact view Sales_Lines (measure group Lines)
CREATE OR ALTER VIEW Sales_Lines AS SELECT CustAccount AS CUSTACCOUNT,CustAccount AS CUSTOMER,DataAreaId AS COMPANY,CONCAT(CustAccount,'_',DataAreaId) AS Sales_Customer_FK,RECID,PARTITION FROM SalesLineView

