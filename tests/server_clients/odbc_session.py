"""psqlODBC (through unixODBC and pyodbc) against `cdmlake serve`. The driver passes ODBCSYSINI/ODBCINI pointing
at a temporary odbcinst.ini that registers psqlodbcw.so, and the connection string in CDMLAKE_ODBC.
Mode "session" (default): autocommit off (psqlODBC wraps statements in BEGIN and per-statement SAVEPOINTs), ?
parameters (server-side prepared _PLAN statements), typed values, lake data against `cdmlake sql`, SQLSTATEs.
Mode "catalog": SQLTables and SQLColumns (needs the catalog emulation).
Mode "declare-fetch": UseDeclareFetch=1, with which psqlODBC reads results through SQL cursors (DECLARE … CURSOR
FOR, FETCH n IN …, CLOSE) a few rows at a time."""
import datetime
import decimal
import os
import sys

import pyodbc

from common import Checker, expected

D = decimal.Decimal
mode = sys.argv[1] if len(sys.argv) > 1 else "session"
c = Checker("odbc " + mode)
want = expected()
conn = pyodbc.connect(os.environ["CDMLAKE_ODBC"] + (";UseDeclareFetch=1;Fetch=3" if mode == "declare-fetch" else ""),
                      timeout=10)


def session():
    cur = conn.cursor()
    cur.execute("SELECT CAST(42 AS integer) AS i, CAST(-5 AS bigint) AS b, CAST(1.25 AS numeric(10,2)) AS n, "
                "CAST('it''s ☕' AS text) AS t, true AS f, CAST('2024-02-29' AS date) AS d, "
                "CAST('2021-03-04 05:06:07' AS timestamp) AS ts, CAST(2.5 AS double precision) AS x, "
                "CAST(NULL AS integer) AS z")
    row = cur.fetchone()
    c.eq("integer", row.i, 42)
    c.eq("bigint", row.b, -5)
    c.eq("numeric", row.n, D("1.25"))
    c.eq("text", row.t, "it's ☕")
    c.true("boolean", row.f in (True, 1, "1"), repr(row.f))
    c.eq("date", row.d, datetime.date(2024, 2, 29))
    c.eq("timestamp", row.ts, datetime.datetime(2021, 3, 4, 5, 6, 7))
    c.eq("double", row.x, 2.5)
    c.eq("NULL", row.z, None)
    conn.commit()
    cur.execute('SELECT count(*) AS n, sum("LINEAMOUNT") AS total FROM SalesLine')
    n, total = cur.fetchone()
    c.eq("count(*)", int(n), int(want["sales_count"]))
    c.eq("sum(LINEAMOUNT)", D(total), D(want["sales_total"]))
    for i in range(3):
        cur.execute('SELECT "SALESID", "LINEAMOUNT" FROM SalesLine WHERE "CUSTACCOUNT" = ? AND "RECID" > ? '
                    'ORDER BY "RECID"', want["customer"], 0)
        c.eq("parameters, run %d" % (i + 1), [[r[0], str(r[1])] for r in cur.fetchall()],
             [[x[0], x[1]] for x in want["customer_lines"]])
    cur.execute("SELECT CAST(? AS integer) + 1 AS i, CAST(? AS text) AS t, CAST(? AS date) AS d", 1, "O'Brien",
                datetime.date(2020, 2, 29))
    c.eq("typed parameters", list(cur.fetchone()), [2, "O'Brien", datetime.date(2020, 2, 29)])
    conn.commit()
    try:
        cur.execute("SELECT * FROM no_such_table")
        c.true("unknown table raises", False)
    except pyodbc.Error as e:
        c.true("unknown table SQLSTATE 42P01 in the message", "42P01" in str(e), str(e))
    conn.rollback()
    cur.execute("SELECT 3 AS three")
    c.eq("works after ROLLBACK", cur.fetchone()[0], 3)
    conn.commit()


def catalog():
    cur = conn.cursor()
    tables = sorted(r.table_name.lower() for r in cur.tables(tableType="TABLE,VIEW"))
    c.true("SQLTables lists salesline", "salesline" in tables, repr(tables))
    name = next((r.table_name for r in cur.tables(tableType="TABLE,VIEW") if r.table_name.lower() == "salesline"),
                "SalesLine")
    cols = {r.column_name: r.type_name for r in cur.columns(table=name)}
    c.eq("SQLColumns count for SalesLine", len(cols), 17)
    c.eq("RECID type", cols.get("RECID"), "int8")


def declare_fetch():
    cur = conn.cursor()
    cur.execute('SELECT "RECID", count(*) OVER () FROM SalesLine ORDER BY "RECID"')
    first = cur.fetchmany(3)
    rest = cur.fetchall()
    c.eq("declare/fetch: first rows", [int(r[0]) for r in first], [int(x) for x in want["all_recids_3"]])
    c.eq("declare/fetch: all rows", 3 + len(rest), int(want["sales_count"]))
    c.eq("declare/fetch: PostgreSQL's column names", [d[0] for d in cur.description], ["RECID", "count"])
    conn.commit()
    cur.execute('SELECT "SALESID" FROM SalesLine WHERE "CUSTACCOUNT" = ? ORDER BY "RECID"', want["customer"])
    c.eq("declare/fetch: with a parameter", [r[0] for r in cur.fetchall()], [x[0] for x in want["customer_lines"]])
    conn.commit()


c.run(mode, {"catalog": catalog, "declare-fetch": declare_fetch}.get(mode, session))
conn.close()
c.finish()
