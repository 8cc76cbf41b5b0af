-- fact view M_Rentals (measure group Rentals)
CREATE OR ALTER VIEW M_Rentals AS SELECT RentalId AS RENTALID,amount AS AMOUNT,RecId AS RECID,LineAmount AS LINEAMOUNT,LineAmount AS TOTAL,PARTITION,DATAAREAID FROM RentalView

-- warning: M_Rentals: measure Amount dropped: a column with that name is already in the view
