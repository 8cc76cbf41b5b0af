-- dialect: duckdb

-- fact M_Rentals (measure group Rentals, measures Amount=AMOUNT:Sum, dimensions , attributes BRANCH)
CREATE OR REPLACE VIEW "M_Rentals" AS SELECT "BranchId" AS "BRANCH", "Zeta" AS "ZETA", "Alpha" AS "ALPHA", "RecId" AS "RECID", "Mid" AS "MID", "LineAmount" AS "AMOUNT", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "RentalView";

-- fact M_Returns (measure group Returns, measures Amount=AMOUNT:Sum, dimensions , attributes )
CREATE OR REPLACE VIEW "M_Returns" AS SELECT "LineAmount" AS "AMOUNT", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "ReturnTable";

