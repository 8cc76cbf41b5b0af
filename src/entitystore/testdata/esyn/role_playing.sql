-- dimension view Fleet_RentalStartDate (measure group Rentals)
CREATE OR ALTER VIEW Fleet_RentalStartDate AS SELECT ROW_NUMBER() OVER(ORDER BY DATE) AS Fleet_RentalStartDate_FK,Date AS DATE,Year AS YEAR,RECID,PARTITION,DATAAREAID FROM DateDimension

-- dimension view Fleet_RentalEndDate (measure group Rentals)
CREATE OR ALTER VIEW Fleet_RentalEndDate AS SELECT ROW_NUMBER() OVER(ORDER BY DATE) AS Fleet_RentalEndDate_FK,Date AS DATE,Year AS YEAR,RECID,PARTITION,DATAAREAID FROM DateDimension

-- fact view Fleet_Rentals (measure group Rentals)
CREATE OR ALTER VIEW Fleet_Rentals AS SELECT StartDate AS DATE,RECID,PARTITION,DATAAREAID FROM FMRental

-- warning: Fleet_Rentals: views\FMRENTAL.json not found: FMRental is read as a table, no view fields emitted
-- warning: Fleet_Rentals: no Fleet_RentalStartDate_FK column: table DateDimension is shared (SaveDataPerCompany is set)
-- warning: Fleet_Rentals: no Fleet_RentalEndDate_FK column: table DateDimension is shared (SaveDataPerCompany is set)
