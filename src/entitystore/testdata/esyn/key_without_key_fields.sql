-- dimension view M_Vehicle (measure group Facts)
CREATE OR ALTER VIEW M_Vehicle AS SELECT ROW_NUMBER() OVER(ORDER BY ) AS M_Vehicle_FK,Make AS MAKE,RECID,PARTITION,DATAAREAID FROM FMVehicle

-- fact view M_Facts (measure group Facts)
CREATE OR ALTER VIEW M_Facts AS SELECT VehicleId AS VEHICLE,DataAreaId AS COMPANY,CONCAT(VehicleId,'_',DataAreaId) AS M_Vehicle_FK,RECID,PARTITION FROM FactTable

-- warning: M_Facts: views\FACTTABLE.json not found: FactTable is read as a table, no view fields emitted
