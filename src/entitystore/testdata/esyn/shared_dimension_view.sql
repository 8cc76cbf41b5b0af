-- dimension view Sales_Customer (measure group Orders)
CREATE OR ALTER VIEW Sales_Customer AS SELECT ROW_NUMBER() OVER(ORDER BY ACCOUNTNUM) AS Sales_Customer_FK,AccountNum AS CUSTOMER,RECID,PARTITION,DATAAREAID FROM CustTable

-- fact view Sales_Orders (measure group Orders)
CREATE OR ALTER VIEW Sales_Orders AS SELECT CustAccount AS CUSTOMER,CustAccount AS Sales_Customer_FK,RECID,PARTITION,DATAAREAID FROM SalesTable

-- dimension view Sales_Currency (measure group Invoices)
CREATE OR ALTER VIEW Sales_Currency AS SELECT ROW_NUMBER() OVER(ORDER BY CURRENCYCODE) AS Sales_Currency_FK,CurrencyCode AS CURRENCY,RECID,PARTITION,DATAAREAID FROM Currency

-- fact view Sales_Invoices (measure group Invoices)
CREATE OR ALTER VIEW Sales_Invoices AS SELECT InvoiceAccount AS CUSTOMER,InvoiceAccount AS Sales_Customer_FK,CurrencyCode AS CURRENCY,RECID,PARTITION,DATAAREAID FROM CustInvoiceJour

-- warning: Sales_Orders: views\SALESTABLE.json not found: SalesTable is read as a table, no view fields emitted
-- warning: Sales_Invoices: views\CUSTINVOICEJOUR.json not found: CustInvoiceJour is read as a table, no view fields emitted
-- warning: Sales_Invoices: no Sales_Currency_FK column: table Currency is shared (SaveDataPerCompany is set)
