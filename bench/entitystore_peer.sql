-- The peer of `cdmlake entitystore process SalesAnalysis` (bench/entitystore.sh): the same work written by hand in
-- plain DuckDB SQL, as a user without cdmlake would write it for the sample measurement of `cdmlake generate`.
--
-- * reads the same headerless CSV partition files (the manifests' dataPartitions, filled in for @TABLE@ by
--   bench/entitystore_helpers.py peer-sql) with read_csv and the columns and types of the entity documents, with
--   the same reader options cdmlake uses (auto_detect off, RFC 4180 quotes, quoted empty strings are '' not NULL);
-- * maps F&O's empty datetime 1900-01-01 to NULL on the datetime columns it uses (as cdmlake does for every
--   datetime column);
-- * does the joins of the sample's D365 views (SALESLINEBASEVIEW: SalesLine x SalesTable, SALESLINECUSTOMERVIEW:
--   x CustTable, SALESLINECUBEVIEW: no quotations; CUSTOMERDIMENSIONVIEW: CustTable x DirPartyTable left join
--   LogisticsPostalAddress (valid now) + the company's customer groups; PRODUCTDIMENSIONVIEW: InventTable x
--   EcoResProduct union all one unknown member per company; CustGroup), written directly as joins;
-- * materializes each fact once (with its dimension foreign keys), aggregates it by the same keys with the same
--   aggregates, builds the calendars over the fact dates, and COPYs each of the 11 entities to Parquet in its own
--   folder with the same file splitting (256 MiB) and names as cdmlake's writer; same columns, types and rows
--   (bench/entitystore.sh checks row counts and a checksum of every row against cdmlake's output).
-- @OUT@ is the output folder. Run: cdmlake_bench_duckdb_sql --discard "$(entitystore_helpers.py peer-sql ...)".

CREATE TEMP VIEW SalesLine AS
SELECT * REPLACE (NULLIF(SHIPPINGDATEREQUESTED, TIMESTAMP '1900-01-01') AS SHIPPINGDATEREQUESTED,
                  NULLIF(CREATEDDATETIME, TIMESTAMP '1900-01-01') AS CREATEDDATETIME)
FROM read_csv([@SalesLine@],
  columns = {'RECID': 'BIGINT', 'SALESID': 'VARCHAR', 'LINENUM': 'DECIMAL(32,6)', 'ITEMID': 'VARCHAR',
             'NAME': 'VARCHAR', 'SALESQTY': 'DECIMAL(32,6)', 'SALESPRICE': 'DECIMAL(32,6)',
             'LINEAMOUNT': 'DECIMAL(32,6)', 'CURRENCYCODE': 'VARCHAR', 'SALESSTATUS': 'INTEGER',
             'CUSTACCOUNT': 'VARCHAR', 'SHIPPINGDATEREQUESTED': 'TIMESTAMP', 'SHIPPINGDATECONFIRMED': 'TIMESTAMP',
             'CREATEDDATETIME': 'TIMESTAMP', 'DATAAREAID': 'VARCHAR', 'PARTITION': 'BIGINT', 'RECVERSION': 'INTEGER'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  strict_mode = true, new_line = '\n');

CREATE TEMP VIEW SalesTable AS
SELECT * REPLACE (NULLIF(DELIVERYDATE, TIMESTAMP '1900-01-01') AS DELIVERYDATE,
                  NULLIF(CREATEDDATETIME, TIMESTAMP '1900-01-01') AS CREATEDDATETIME)
FROM read_csv([@SalesTable@],
  columns = {'RECID': 'BIGINT', 'SALESID': 'VARCHAR', 'CUSTACCOUNT': 'VARCHAR', 'SALESNAME': 'VARCHAR',
             'SALESSTATUS': 'INTEGER', 'SALESTYPE': 'INTEGER', 'CURRENCYCODE': 'VARCHAR', 'DELIVERYDATE': 'TIMESTAMP',
             'SHIPPINGDATECONFIRMED': 'TIMESTAMP', 'CREATEDDATETIME': 'TIMESTAMP', 'DATAAREAID': 'VARCHAR',
             'PARTITION': 'BIGINT', 'RECVERSION': 'INTEGER'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  strict_mode = true, new_line = '\n');

CREATE TEMP VIEW CustTable AS
SELECT * FROM read_csv([@CustTable@],
  columns = {'RECID': 'BIGINT', 'ACCOUNTNUM': 'VARCHAR', 'PARTY': 'BIGINT', 'CUSTGROUP': 'VARCHAR',
             'CURRENCY': 'VARCHAR', 'CREDITMAX': 'DECIMAL(32,6)', 'BLOCKED': 'INTEGER', 'CREATEDDATETIME': 'TIMESTAMP',
             'MODIFIEDDATETIME': 'TIMESTAMP', 'DATAAREAID': 'VARCHAR', 'PARTITION': 'BIGINT', 'RECVERSION': 'INTEGER'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  strict_mode = true, new_line = '\n');

CREATE TEMP VIEW DirPartyTable AS
SELECT * FROM read_csv([@DirPartyTable@],
  columns = {'RECID': 'BIGINT', 'PARTYNUMBER': 'VARCHAR', 'NAME': 'VARCHAR', 'NAMEALIAS': 'VARCHAR',
             'LANGUAGEID': 'VARCHAR', 'INSTANCERELATIONTYPE': 'BIGINT', 'PRIMARYADDRESSLOCATION': 'BIGINT',
             'PARTITION': 'BIGINT', 'RECVERSION': 'INTEGER'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  strict_mode = true, new_line = '\n');

CREATE TEMP VIEW LogisticsPostalAddress AS
SELECT * REPLACE (NULLIF(VALIDFROM, TIMESTAMP '1900-01-01') AS VALIDFROM,
                  NULLIF(VALIDTO, TIMESTAMP '1900-01-01') AS VALIDTO)
FROM read_csv([@LogisticsPostalAddress@],
  columns = {'RECID': 'BIGINT', 'LOCATION': 'BIGINT', 'ADDRESS': 'VARCHAR', 'STREET': 'VARCHAR', 'CITY': 'VARCHAR',
             'STATE': 'VARCHAR', 'ZIPCODE': 'VARCHAR', 'COUNTRYREGIONID': 'VARCHAR', 'VALIDFROM': 'TIMESTAMP',
             'VALIDTO': 'TIMESTAMP', 'PARTITION': 'BIGINT', 'RECVERSION': 'INTEGER'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  strict_mode = true, new_line = '\n');

CREATE TEMP VIEW InventTable AS
SELECT * FROM read_csv([@InventTable@],
  columns = {'RECID': 'BIGINT', 'ITEMID': 'VARCHAR', 'PRODUCT': 'BIGINT', 'ITEMTYPE': 'INTEGER',
             'NAMEALIAS': 'VARCHAR', 'NETWEIGHT': 'DECIMAL(32,6)', 'DATAAREAID': 'VARCHAR', 'PARTITION': 'BIGINT',
             'RECVERSION': 'INTEGER'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  strict_mode = true, new_line = '\n');

CREATE TEMP VIEW EcoResProduct AS
SELECT * FROM read_csv([@EcoResProduct@],
  columns = {'RECID': 'BIGINT', 'DISPLAYPRODUCTNUMBER': 'VARCHAR', 'SEARCHNAME': 'VARCHAR', 'PRODUCTTYPE': 'INTEGER',
             'INSTANCERELATIONTYPE': 'BIGINT', 'PARTITION': 'BIGINT', 'RECVERSION': 'INTEGER'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  strict_mode = true, new_line = '\n');

CREATE TEMP VIEW CustGroup AS
SELECT * FROM read_csv([@CustGroup@],
  columns = {'RECID': 'BIGINT', 'CUSTGROUP': 'VARCHAR', 'NAME': 'VARCHAR', 'PAYMTERMID': 'VARCHAR',
             'DATAAREAID': 'VARCHAR', 'PARTITION': 'BIGINT', 'RECVERSION': 'INTEGER'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  strict_mode = true, new_line = '\n');

-- ---- dimensions -------------------------------------------------------------------------------------------------
CREATE TEMP TABLE dim_customer AS
WITH groups AS (
  SELECT DATAAREAID, PARTITION, string_agg(CUSTGROUP, ', ' ORDER BY CUSTGROUP) AS COMPANYCUSTOMERGROUPS
  FROM CustGroup GROUP BY DATAAREAID, PARTITION)
SELECT CONCAT(c.DATAAREAID, '_', c.ACCOUNTNUM) AS ROW_UNIQUEKEY,
       CONCAT(c.DATAAREAID, '_', c.ACCOUNTNUM) AS SalesAnalysis_Customer_FK,
       c.DATAAREAID, c.ACCOUNTNUM AS CUSTOMER, p.NAME AS CUSTOMERNAME, c.CUSTGROUP AS CUSTOMERGROUP,
       c.BLOCKED AS BLOCKED_VALUE, COALESCE(a.CITY, '') AS CITY, COALESCE(a.COUNTRYREGIONID, '') AS COUNTRY,
       g.COMPANYCUSTOMERGROUPS, c.RECID, c.PARTITION,
       CASE c.BLOCKED WHEN 0 THEN 'No' WHEN 1 THEN 'Invoice' WHEN 2 THEN 'All' END AS BLOCKED
FROM CustTable c
JOIN DirPartyTable p ON c.PARTY = p.RECID AND c.PARTITION = p.PARTITION
LEFT JOIN LogisticsPostalAddress a
  ON p.PRIMARYADDRESSLOCATION = a.LOCATION AND a.VALIDFROM <= current_timestamp::TIMESTAMP
     AND a.VALIDTO >= current_timestamp::TIMESTAMP AND p.PARTITION = a.PARTITION
LEFT JOIN groups g ON g.DATAAREAID = c.DATAAREAID AND g.PARTITION = c.PARTITION;

CREATE TEMP TABLE dim_product AS
SELECT CONCAT(DATAAREAID, '_', ITEMID) AS ROW_UNIQUEKEY, CONCAT(DATAAREAID, '_', ITEMID) AS SalesAnalysis_Product_FK,
       DATAAREAID, ITEMID AS PRODUCT, ITEMNAME, ITEMTYPE AS ITEMTYPE_VALUE, PRODUCTTYPE AS PRODUCTTYPE_VALUE,
       COMMENT_ AS PRODUCTCOMMENT, RECID, PARTITION,
       CASE ITEMTYPE WHEN 0 THEN 'Item' WHEN 1 THEN 'BOM' WHEN 2 THEN 'Service' END AS ITEMTYPE,
       CASE PRODUCTTYPE WHEN 1 THEN 'Item' WHEN 2 THEN 'Service' END AS PRODUCTTYPE
FROM (SELECT i.ITEMID, COALESCE(e.SEARCHNAME, '') AS ITEMNAME, i.ITEMTYPE, e.PRODUCTTYPE, i.NAMEALIAS AS COMMENT_,
             i.DATAAREAID, i.PARTITION, i.RECID
      FROM InventTable i JOIN EcoResProduct e ON i.PRODUCT = e.RECID AND i.PARTITION = e.PARTITION
      UNION ALL
      SELECT '', 'Unknown item ("n/a")', 0, 1, '', DATAAREAID, PARTITION, 0::BIGINT
      FROM InventTable GROUP BY DATAAREAID, PARTITION);

CREATE TEMP TABLE dim_customergroup AS
SELECT CONCAT(DATAAREAID, '_', CUSTGROUP) AS ROW_UNIQUEKEY, CONCAT(DATAAREAID, '_', CUSTGROUP) AS SalesAnalysis_CustomerGroup_FK,
       DATAAREAID, CUSTGROUP AS CUSTOMERGROUP, NAME AS GROUPNAME, RECID, PARTITION
FROM CustGroup;

-- ---- facts ------------------------------------------------------------------------------------------------------
CREATE TEMP TABLE fact_saleslines AS
SELECT l.SALESSTATUS AS SALESSTATUS_VALUE, l.SALESID, l.LINENUM, l.ITEMID, l.CUSTACCOUNT, c.CUSTGROUP, l.SALESQTY,
       l.SALESPRICE, l.LINEAMOUNT, l.SALESTYPE_H AS SALESTYPE_VALUE, l.CURRENCYCODE,
       COALESCE(l.NAME, '') AS LINEDESCRIPTION, CAST(l.CREATEDDATETIME AS DATE) AS CREATEDDATE,
       CAST(l.SHIPPINGDATEREQUESTED AS DATE) AS SHIPPINGDATE, l.SHIPPINGDATEREQUESTED - INTERVAL 2 DAY AS PICKINGDATETIME,
       strftime(CAST(l.CREATEDDATETIME AS DATE), '%Y-%m') AS CREATEDMONTH,
       l.LINEAMOUNT AS SALESAMOUNT, l.SALESQTY AS SALESQUANTITY, 1 AS NUMBEROFLINES, l.CUSTACCOUNT AS NUMBEROFCUSTOMERS,
       l.SALESPRICE AS AVERAGEPRICE, l.LINEAMOUNT AS MAXLINEAMOUNT, l.LINEAMOUNT AS MINLINEAMOUNT, l.DATAAREAID,
       CONCAT(l.DATAAREAID, '_', l.CUSTACCOUNT) AS SalesAnalysis_Customer_FK,
       CONCAT(l.DATAAREAID, '_', l.ITEMID) AS SalesAnalysis_Product_FK,
       CONCAT(l.DATAAREAID, '_', c.CUSTGROUP) AS SalesAnalysis_CustomerGroup_FK,
       CAST(l.CREATEDDATETIME AS DATE) AS SalesAnalysis_CreatedDate_FK,
       CAST(l.SHIPPINGDATEREQUESTED AS DATE) AS SalesAnalysis_ShippingDate_FK,
       l.RECID, l.PARTITION,
       CASE l.SALESSTATUS WHEN 0 THEN 'None' WHEN 1 THEN 'Backorder' WHEN 2 THEN 'Delivered' WHEN 3 THEN 'Invoiced'
                          WHEN 4 THEN 'Canceled' END AS SALESSTATUS,
       CASE l.SALESTYPE_H WHEN 0 THEN 'Journal' WHEN 1 THEN 'Quotation' WHEN 2 THEN 'Subscription' WHEN 3 THEN 'Sales'
                        WHEN 4 THEN 'ReturnItem' END AS SALESTYPE
-- The lines with their order (as SALESLINEBASEVIEW), then with their customer (as SALESLINECUSTOMERVIEW). Written as
-- one three-way join, DuckDB 1.4.4 joins SalesTable with CustTable first on DATAAREAID and PARTITION alone (the
-- equivalence of the lines' DATAAREAID with both), a near cross product (104 M rows at 200,000 lines; 140 s).
FROM (SELECT l.*, h.SALESTYPE AS SALESTYPE_H
      FROM SalesLine l JOIN SalesTable h
        ON l.SALESID = h.SALESID AND l.DATAAREAID = h.DATAAREAID AND l.PARTITION = h.PARTITION) l
JOIN CustTable c ON l.CUSTACCOUNT = c.ACCOUNTNUM AND l.DATAAREAID = c.DATAAREAID AND l.PARTITION = c.PARTITION
WHERE l.SALESTYPE_H <> 1;

CREATE TEMP TABLE fact_salesorders AS
SELECT SALESTYPE AS SALESTYPE_VALUE, 1 AS NUMBEROFORDERS, CUSTACCOUNT AS NUMBEROFORDERINGCUSTOMERS, DATAAREAID,
       CUSTACCOUNT, CONCAT(DATAAREAID, '_', CUSTACCOUNT) AS SalesAnalysis_Customer_FK, CREATEDDATETIME,
       CAST(CREATEDDATETIME AS DATE) AS SalesAnalysis_OrderDate_FK, DELIVERYDATE,
       CAST(DELIVERYDATE AS DATE) AS SalesAnalysis_DeliveryDate_FK, RECID, PARTITION,
       CASE SALESTYPE WHEN 0 THEN 'Journal' WHEN 1 THEN 'Quotation' WHEN 2 THEN 'Subscription' WHEN 3 THEN 'Sales'
                      WHEN 4 THEN 'ReturnItem' END AS SALESTYPE
FROM SalesTable;

-- ---- calendars: whole years from the first to the last date of the four date keys ------------------------------
CREATE TEMP TABLE calendar AS
SELECT CAST(r.day AS DATE) AS DATEKEY
FROM (SELECT date_trunc('year', coalesce(min(d), current_date)) AS first_day,
             date_trunc('year', coalesce(max(d), current_date)) + INTERVAL 1 YEAR AS end_day
      FROM (SELECT SalesAnalysis_CreatedDate_FK AS d FROM fact_saleslines
            UNION ALL SELECT SalesAnalysis_ShippingDate_FK FROM fact_saleslines
            UNION ALL SELECT SalesAnalysis_OrderDate_FK FROM fact_salesorders
            UNION ALL SELECT SalesAnalysis_DeliveryDate_FK FROM fact_salesorders)) b,
     range(b.first_day, b.end_day, INTERVAL 1 DAY) r(day);

CREATE TEMP MACRO calendar_of() AS TABLE
SELECT DATEKEY AS FK, DATEKEY, DATEKEY AS "DATE", dayofmonth(DATEKEY) AS "DAY", isodow(DATEKEY) AS DAYOFWEEK,
       dayname(DATEKEY) AS DAYNAME, weekofyear(DATEKEY) AS WEEK, month(DATEKEY) AS "MONTH",
       monthname(DATEKEY) AS MONTHNAME, quarter(DATEKEY) AS QUARTER, 'Q' || quarter(DATEKEY) AS QUARTERNAME,
       year(DATEKEY) AS "YEAR", strftime(DATEKEY, '%Y-%m') AS YEARMONTH,
       year(DATEKEY) || '-Q' || quarter(DATEKEY) AS YEARQUARTER
FROM calendar;

-- ---- output: one folder per entity, split at 256 MiB, named as cdmlake names them -------------------------------
COPY dim_customer TO '@OUT@/SalesAnalysis_Customer'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_customer-{i}');
COPY dim_product TO '@OUT@/SalesAnalysis_Product'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_product-{i}');
COPY dim_customergroup TO '@OUT@/SalesAnalysis_CustomerGroup'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_customergroup-{i}');
COPY fact_saleslines TO '@OUT@/SalesAnalysis_SalesLines'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_saleslines-{i}');
COPY (SELECT SalesAnalysis_Customer_FK, SalesAnalysis_Product_FK, SalesAnalysis_CustomerGroup_FK,
             SalesAnalysis_CreatedDate_FK, SalesAnalysis_ShippingDate_FK, SALESSTATUS, SALESSTATUS_VALUE,
             count(*) AS __ROWS, sum(SALESAMOUNT) AS SALESAMOUNT, sum(SALESQUANTITY) AS SALESQUANTITY,
             count(NUMBEROFLINES) AS NUMBEROFLINES, count(DISTINCT NUMBEROFCUSTOMERS) AS NUMBEROFCUSTOMERS,
             avg(AVERAGEPRICE) AS AVERAGEPRICE, sum(AVERAGEPRICE) AS AVERAGEPRICE__SUM,
             count(AVERAGEPRICE) AS AVERAGEPRICE__COUNT, max(MAXLINEAMOUNT) AS MAXLINEAMOUNT,
             min(MINLINEAMOUNT) AS MINLINEAMOUNT
      FROM fact_saleslines
      GROUP BY SalesAnalysis_Customer_FK, SalesAnalysis_Product_FK, SalesAnalysis_CustomerGroup_FK,
               SalesAnalysis_CreatedDate_FK, SalesAnalysis_ShippingDate_FK, SALESSTATUS, SALESSTATUS_VALUE)
  TO '@OUT@/SalesAnalysis_SalesLines_AGG'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_saleslines_agg-{i}');
COPY fact_salesorders TO '@OUT@/SalesAnalysis_SalesOrders'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_salesorders-{i}');
COPY (SELECT SalesAnalysis_Customer_FK, SalesAnalysis_OrderDate_FK, SalesAnalysis_DeliveryDate_FK, SALESTYPE,
             SALESTYPE_VALUE, count(*) AS __ROWS, count(NUMBEROFORDERS) AS NUMBEROFORDERS,
             count(DISTINCT NUMBEROFORDERINGCUSTOMERS) AS NUMBEROFORDERINGCUSTOMERS
      FROM fact_salesorders
      GROUP BY SalesAnalysis_Customer_FK, SalesAnalysis_OrderDate_FK, SalesAnalysis_DeliveryDate_FK, SALESTYPE,
               SALESTYPE_VALUE)
  TO '@OUT@/SalesAnalysis_SalesOrders_AGG'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_salesorders_agg-{i}');
COPY (SELECT FK AS SalesAnalysis_CreatedDate_FK, * EXCLUDE (FK) FROM calendar_of()) TO '@OUT@/SalesAnalysis_CreatedDate'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_createddate-{i}');
COPY (SELECT FK AS SalesAnalysis_ShippingDate_FK, * EXCLUDE (FK) FROM calendar_of()) TO '@OUT@/SalesAnalysis_ShippingDate'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_shippingdate-{i}');
COPY (SELECT FK AS SalesAnalysis_OrderDate_FK, * EXCLUDE (FK) FROM calendar_of()) TO '@OUT@/SalesAnalysis_OrderDate'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_orderdate-{i}');
COPY (SELECT FK AS SalesAnalysis_DeliveryDate_FK, * EXCLUDE (FK) FROM calendar_of()) TO '@OUT@/SalesAnalysis_DeliveryDate'
  (FORMAT parquet, FILE_SIZE_BYTES 268435456, FILENAME_PATTERN 'salesanalysis_deliverydate-{i}');
