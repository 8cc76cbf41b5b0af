-- dimension view M_Customer (measure group Facts)
CREATE OR ALTER VIEW M_Customer AS SELECT ROW_NUMBER() OVER(ORDER BY ACCOUNTNUM) AS M_Customer_FK,AccountNum AS CUSTOMER,RECID,PARTITION,DATAAREAID FROM CustTable

-- dimension view M_Currency (measure group Facts)
CREATE OR ALTER VIEW M_Currency AS SELECT ROW_NUMBER() OVER(ORDER BY CURRENCYCODE) AS M_Currency_FK,CurrencyCode AS CURRENCY,RECID,PARTITION,DATAAREAID FROM Currency

-- dimension view M_Unknown (measure group Facts)
CREATE OR ALTER VIEW M_Unknown AS SELECT ROW_NUMBER() OVER(ORDER BY ID) AS M_Unknown_FK,Id AS UNKNOWN,RECID,PARTITION,DATAAREAID FROM NoSuchTable

-- fact view M_Facts (measure group Facts)
CREATE OR ALTER VIEW M_Facts AS SELECT RecId AS RECID,CustAccount AS CUSTOMER,CustAccount AS M_Customer_FK,CurrencyCode AS CURRENCY,UnknownId AS UNKNOWN,PARTITION,DATAAREAID FROM FactView

-- warning: M_Facts: no M_Currency_FK column: table Currency is shared (SaveDataPerCompany is set)
-- warning: M_Facts: no M_Unknown_FK column: tables\NOSUCHTABLE.json not found
