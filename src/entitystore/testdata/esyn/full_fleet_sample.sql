-- d365 view FMRENTALCHARGEVIEW
CREATE OR ALTER VIEW [FMRENTALCHARGEVIEW] AS SELECT T1.RENTAL AS RENTAL, SUM(T1.CHARGE) AS CHARGE, T1.DATAAREAID AS DATAAREAID, T1.PARTITION AS PARTITION, 1010 AS RECID FROM FMRENTALCHARGE T1 GROUP BY T1.RENTAL, T1.DATAAREAID, T1.PARTITION

-- d365 view FMRENTALVIEW
CREATE OR ALTER VIEW [FMRENTALVIEW] AS SELECT T1.RENTALID AS RENTALID, T1.CUSTOMER AS CUSTOMER, T1.VEHICLE AS VEHICLE, T1.STARTDATE AS STARTDATE, T1.ENDDATE AS ENDDATE, T1.STATUS AS STATUS, T2.CHARGE AS TOTALCHARGE, T1.DATAAREAID AS DATAAREAID, T1.PARTITION AS PARTITION, T1.RECID AS RECID FROM FMRENTAL T1 LEFT OUTER JOIN FMRENTALCHARGEVIEW T2 ON ((T1.RENTALID = T2.RENTAL) AND (T1.DATAAREAID = T2.DATAAREAID) AND (T1.PARTITION = T2.PARTITION))

-- dimension view FMAggregateMeasurements_Customer (measure group FMRentals)
CREATE OR ALTER VIEW FMAggregateMeasurements_Customer AS SELECT ROW_NUMBER() OVER(ORDER BY CUSTOMERID) AS FMAggregateMeasurements_Customer_FK,CustomerId AS CUSTOMER,FirstName AS FIRSTNAME,LastName AS LASTNAME,Comment_ AS COMMENT_,CustomerType AS CUSTOMERTYPE_VALUE,RECID,PARTITION,DATAAREAID,CASE WHEN CUSTOMERTYPE = '0' THEN 'Person' WHEN CUSTOMERTYPE = '1' THEN 'Organization' END AS CUSTOMERTYPE FROM FMCustomerView

-- dimension view FMAggregateMeasurements_Vehicle (measure group FMRentals)
CREATE OR ALTER VIEW FMAggregateMeasurements_Vehicle AS SELECT CONCAT(VehicleId,'_',DataAreaId) AS ROW_UNIQUEKEY,ROW_NUMBER() OVER(ORDER BY VEHICLEID,DATAAREAID) AS FMAggregateMeasurements_Vehicle_FK,VehicleId AS VEHICLE,DATAAREAID,Make AS MAKE,Model AS MODEL,RECID,PARTITION FROM FMVehicle

-- dimension view FMAggregateMeasurements_RentalStartDate (measure group FMRentals)
CREATE OR ALTER VIEW FMAggregateMeasurements_RentalStartDate AS SELECT ROW_NUMBER() OVER(ORDER BY DATE) AS FMAggregateMeasurements_RentalStartDate_FK,Date AS DATE,MONTHOFYEAR,MonthName AS MONTH,Year AS YEAR,RECID,PARTITION,DATAAREAID FROM DateDimensionView

-- dimension view FMAggregateMeasurements_RentalEndDate (measure group FMRentals)
CREATE OR ALTER VIEW FMAggregateMeasurements_RentalEndDate AS SELECT ROW_NUMBER() OVER(ORDER BY DATE) AS FMAggregateMeasurements_RentalEndDate_FK,Date AS DATE,MONTHOFYEAR,MonthName AS MONTH,Year AS YEAR,RECID,PARTITION,DATAAREAID FROM DateDimensionView

-- fact view FMAggregateMeasurements_FMRentals (measure group FMRentals)
CREATE OR ALTER VIEW FMAggregateMeasurements_FMRentals AS SELECT RentalId AS RENTALID,Customer AS CUSTOMER,Vehicle AS VEHICLE,StartDate AS STARTDATE,EndDate AS ENDDATE,Status AS STATUS_VALUE,TotalCharge AS TOTALCHARGE,DataAreaId AS DATAAREAID,Partition AS PARTITION,RecId AS RECID,1 AS NORENTALS,TotalCharge AS CHARGE,Customer AS FMAggregateMeasurements_Customer_FK,CONCAT(Vehicle,'_',DataAreaId) AS FMAggregateMeasurements_Vehicle_FK,StartDate AS DATE,CASE WHEN STATUS = '0' THEN 'Reserved' WHEN STATUS = '1' THEN 'CheckedOut' WHEN STATUS = '2' THEN 'Returned' END AS STATUS FROM FMRentalView

-- dimension view FMAggregateMeasurements_ChargeType (measure group FMRentalCharges)
CREATE OR ALTER VIEW FMAggregateMeasurements_ChargeType AS SELECT ROW_NUMBER() OVER(ORDER BY CHARGETYPE) AS FMAggregateMeasurements_ChargeType_FK,ChargeType AS CHARGETYPE,RECID,PARTITION,DATAAREAID FROM FMChargeType

-- fact view FMAggregateMeasurements_FMRentalCharges (measure group FMRentalCharges)
CREATE OR ALTER VIEW FMAggregateMeasurements_FMRentalCharges AS SELECT Charge AS CHARGEAMOUNT,1 AS QUANTITY,Customer AS CUSTOMER,Customer AS FMAggregateMeasurements_Customer_FK,ChargeType AS CHARGETYPE_VALUE,ChargeType AS FMAggregateMeasurements_ChargeType_FK,RECID,PARTITION,DATAAREAID,CASE WHEN CHARGETYPE = '0' THEN 'Insurance' WHEN CHARGETYPE = '1' THEN 'Fuel' WHEN CHARGETYPE = '2' THEN 'Damage' END AS CHARGETYPE FROM FMRentalCharge

-- warning: FMAggregateMeasurements_FMRentals: measure TotalCharge dropped: a column with that name is already in the view
-- warning: FMAggregateMeasurements_FMRentals: no FMAggregateMeasurements_RentalStartDate_FK column: table DateDimension is shared (SaveDataPerCompany is set)
-- warning: FMAggregateMeasurements_FMRentals: no FMAggregateMeasurements_RentalEndDate_FK column: table DateDimension is shared (SaveDataPerCompany is set)
-- warning: FMAggregateMeasurements_FMRentalCharges: views\FMRENTALCHARGE.json not found: FMRentalCharge is read as a table, no view fields emitted
