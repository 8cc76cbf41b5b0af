-- dimension M_Customer -> temp."__cdmlake_dim_M_Customer"
CREATE OR REPLACE TEMP TABLE "__cdmlake_dim_M_Customer" AS SELECT "AccountNum" AS "M_Customer_FK", "AccountNum" AS "CUSTOMER", "Name" AS "NAME" FROM "CustTable";

-- fact partition M_Returns partition 0 -> temp."__cdmlake_fact_M_Returns_p0"
CREATE OR REPLACE TEMP TABLE "__cdmlake_fact_M_Returns_p0" AS SELECT * FROM (SELECT "RefundAmount" AS "REFUND", "CustAccount" AS "CUSTACCOUNT", "CustAccount" AS "M_Customer_FK", "RECID" AS "RECID" FROM "ReturnLine") AS f WHERE hash("M_Customer_FK") % 2 = 0;

-- aggregate partition M_Returns_AGG partition 0 -> temp."__cdmlake_agg_M_Returns_p0"
CREATE OR REPLACE TEMP TABLE "__cdmlake_agg_M_Returns_p0" AS SELECT "M_Customer_FK", count(*) AS "__ROWS", sum("REFUND") AS "REFUND" FROM temp."__cdmlake_fact_M_Returns_p0" GROUP BY "M_Customer_FK";

-- fact partition M_Returns partition 1 -> temp."__cdmlake_fact_M_Returns_p1"
CREATE OR REPLACE TEMP TABLE "__cdmlake_fact_M_Returns_p1" AS SELECT * FROM (SELECT "RefundAmount" AS "REFUND", "CustAccount" AS "CUSTACCOUNT", "CustAccount" AS "M_Customer_FK", "RECID" AS "RECID" FROM "ReturnLine") AS f WHERE hash("M_Customer_FK") % 2 = 1;

-- aggregate partition M_Returns_AGG partition 1 -> temp."__cdmlake_agg_M_Returns_p1"
CREATE OR REPLACE TEMP TABLE "__cdmlake_agg_M_Returns_p1" AS SELECT "M_Customer_FK", count(*) AS "__ROWS", sum("REFUND") AS "REFUND" FROM temp."__cdmlake_fact_M_Returns_p1" GROUP BY "M_Customer_FK";

-- merge M_Returns -> temp."__cdmlake_fact_M_Returns"
CREATE OR REPLACE TEMP VIEW "__cdmlake_fact_M_Returns" AS SELECT * FROM temp."__cdmlake_fact_M_Returns_p0" UNION ALL SELECT * FROM temp."__cdmlake_fact_M_Returns_p1";
CREATE OR REPLACE TEMP VIEW "__cdmlake_agg_M_Returns" AS SELECT * FROM temp."__cdmlake_agg_M_Returns_p0" UNION ALL SELECT * FROM temp."__cdmlake_agg_M_Returns_p1";

-- output M_Customer = temp."__cdmlake_dim_M_Customer"
-- output M_Returns = temp."__cdmlake_fact_M_Returns"
-- output M_Returns_AGG = temp."__cdmlake_agg_M_Returns"
