-- dialect: duckdb

-- fact M_Rentals (measure group Rentals, measures Amount=AMOUNT:Sum,Qty=QTY:Sum, dimensions , attributes )
CREATE OR REPLACE VIEW "M_Rentals" AS SELECT "RentalId" AS "RENTALID", "Qty" AS "QTY", "LineAmount" AS "LINEAMOUNT", "LineAmount" AS "AMOUNT", "RECID" AS "RECID", "PARTITION" AS "PARTITION", "DATAAREAID" AS "DATAAREAID" FROM "RentalView";

-- warning: measure group Rentals: the view field amount has the name of a measure; the fact column holds the measure (ESYN drops the measure)
