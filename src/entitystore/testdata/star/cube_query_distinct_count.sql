-- distinct count by InvoiceDate.YEAR: from fact (measure Customers is a distinct count, which cannot be added up across groups), reads M_Sales,M_InvoiceDate
SELECT "InvoiceDate"."YEAR" AS "InvoiceDate.YEAR", sum("Sales"."AMOUNT") AS "Amount", count(DISTINCT "Sales"."CUSTOMERS") AS "Customers" FROM "M_Sales" AS "Sales" LEFT JOIN "M_InvoiceDate" AS "InvoiceDate" ON "Sales"."M_InvoiceDate_FK" = "InvoiceDate"."M_InvoiceDate_FK" GROUP BY "InvoiceDate"."YEAR" ORDER BY "InvoiceDate"."YEAR";

