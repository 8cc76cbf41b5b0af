-- where on a non-key fact column: from fact (the condition reads the fact column PRICE, which is not an aggregate key), reads M_Sales
SELECT "Sales"."REGION" AS "Region", sum("Sales"."AMOUNT") AS "Amount" FROM "M_Sales" AS "Sales" WHERE Sales.PRICE > 5 GROUP BY "Sales"."REGION" ORDER BY "Sales"."REGION";

-- where on an aggregate key: from aggregate, reads M_Sales_AGG
SELECT sum("Sales"."AMOUNT") AS "Amount" FROM "M_Sales_AGG" AS "Sales" WHERE Sales.Region = 'N';

-- where on a dimension attribute: from aggregate, reads M_Sales_AGG,M_Customer
SELECT "Sales"."REGION" AS "Region", coalesce(sum("Sales"."LINES"), 0) AS "Lines" FROM "M_Sales_AGG" AS "Sales" LEFT JOIN "M_Customer" AS "Customer" ON "Sales"."M_Customer_FK" = "Customer"."M_Customer_FK" WHERE Customer.COUNTRY = 'DE' GROUP BY "Sales"."REGION" ORDER BY "Sales"."REGION";

