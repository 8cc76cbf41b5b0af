"""psycopg2 against `cdmlake serve`: the simple query protocol with parameters interpolated on the client, the
implicit BEGIN/COMMIT wrapper of autocommit-off connections, every common type in text format, lake data checked
against values computed with `cdmlake sql`, SQLSTATEs of errors (also 25P02 inside a failed transaction), and named
(server-side) cursors."""
import datetime
import decimal
import uuid

import psycopg2
import psycopg2.extensions

from common import Checker, conninfo, expected

D = decimal.Decimal
c = Checker("psycopg2")
want = expected()
conn = psycopg2.connect(conninfo(application_name="psycopg2-e2e"))


def session():
    c.true("server_version >= 15", conn.server_version >= 150000, str(conn.server_version))
    c.eq("client_encoding", conn.encoding, "UTF8")
    c.eq("DateStyle", conn.get_parameter_status("DateStyle")[:3], "ISO")
    cur = conn.cursor()
    cur.execute("SHOW application_name")
    c.eq("SHOW application_name", cur.fetchone()[0], "psycopg2-e2e")
    c.eq("BEGIN sent implicitly", conn.get_transaction_status(), psycopg2.extensions.TRANSACTION_STATUS_INTRANS)
    conn.commit()
    c.eq("idle after COMMIT", conn.get_transaction_status(), psycopg2.extensions.TRANSACTION_STATUS_IDLE)


TYPES = [
    # (SQL expression, type OID, Python value)
    ("CAST(-32768 AS smallint)", 21, -32768),
    ("CAST(2147483647 AS integer)", 23, 2147483647),
    ("CAST(-9223372036854775808 AS bigint)", 20, -9223372036854775808),
    ("CAST(1.5 AS real)", 700, 1.5),
    ("CAST(-2.25e-300 AS double precision)", 701, -2.25e-300),
    ("CAST(12345678901234.567890 AS numeric(20,6))", 1700, D("12345678901234.567890")),
    ("CAST('it''s ☕ café' AS text)", 25, "it's ☕ café"),
    # DuckDB has one string type: varchar columns and casts are served as text (OID 25), never 1043.
    ("CAST('abc' AS varchar)", 25, "abc"),
    ("true", 16, True),
    ("CAST('2024-02-29' AS date)", 1082, datetime.date(2024, 2, 29)),
    ("CAST('23:59:58.25' AS time)", 1083, datetime.time(23, 59, 58, 250000)),
    ("CAST('2021-03-04 05:06:07.5' AS timestamp)", 1114, datetime.datetime(2021, 3, 4, 5, 6, 7, 500000)),
    ("CAST('2021-03-04 05:06:07+02' AS timestamptz)", 1184,
     datetime.datetime(2021, 3, 4, 3, 6, 7, tzinfo=datetime.timezone.utc)),
    ("CAST('1 day 02:03:04' AS interval)", 1186, datetime.timedelta(days=1, hours=2, minutes=3, seconds=4)),
    ("CAST('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS uuid)", 2950, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
    ("CAST(NULL AS integer)", 23, None),
]


def types():
    cur = conn.cursor()
    cur.execute("SELECT " + ", ".join("%s AS c%d" % (t[0].replace("%", "%%"), i) for i, t in enumerate(TYPES)))
    row = cur.fetchone()
    for i, (expr, oid, value) in enumerate(TYPES):
        c.eq("type OID of %s" % expr, cur.description[i].type_code, oid)
        got = row[i]
        if isinstance(value, datetime.datetime) and value.tzinfo and got is not None:
            got = got.astimezone(datetime.timezone.utc)
        c.eq("value of %s" % expr, got, value)
    c.eq("column names", [d.name for d in cur.description], ["c%d" % i for i in range(len(TYPES))])
    cur.execute("SELECT CAST(ARRAY[1, 2, NULL] AS integer[]) AS a, CAST('{\"k\": [1, \"x\"]}' AS json) AS j")
    a, j = cur.fetchone()
    c.eq("int[] value", a, [1, 2, None])
    c.eq("int[] OID", cur.description[0].type_code, 1007)
    c.eq("json value", j, {"k": [1, "x"]})
    conn.commit()


def parameters():
    cur = conn.cursor()
    values = [7, "O'Brien \"q\" \\ ☕", D("-12.345"), datetime.date(2020, 2, 29),
              datetime.datetime(2020, 2, 29, 23, 59, 59, 123456), True, None, 2.5]
    cur.execute("SELECT %s + 1 AS i, %s AS t, %s AS n, %s AS d, %s AS ts, %s AS b, %s IS NULL AS isnull, %s AS f",
                values)
    row = cur.fetchone()
    c.eq("int parameter", row[0], 8)
    c.eq("text parameter with quotes, backslash and unicode", row[1], values[1])
    c.eq("numeric parameter", row[2], D("-12.345"))
    c.eq("date parameter", row[3], values[3])
    c.eq("timestamp parameter", row[4], values[4])
    c.eq("bool parameter", row[5], True)
    c.eq("NULL parameter", row[6], True)
    c.eq("float parameter (a numeric literal, as in PostgreSQL)", row[7], D("2.5"))
    conn.commit()


def lake_data():
    cur = conn.cursor()
    cur.execute('SELECT count(*) AS n, sum("LINEAMOUNT") AS total FROM SalesLine')
    n, total = cur.fetchone()
    c.eq("count(*) of SalesLine", n, int(want["sales_count"]))
    c.eq("sum(LINEAMOUNT) of SalesLine", total, D(want["sales_total"]))
    c.eq("count OID (bigint)", cur.description[0].type_code, 20)
    cur.execute('SELECT "SALESID", "LINEAMOUNT", "SHIPPINGDATEREQUESTED" FROM SalesLine WHERE "CUSTACCOUNT" = %s '
                'ORDER BY "RECID"', (want["customer"],))
    rows = [[r[0], str(r[1]), r[2].strftime("%Y-%m-%d %H:%M:%S") if r[2] else ""] for r in cur.fetchall()]
    c.eq("SalesLine rows of customer %s" % want["customer"], rows, want["customer_lines"])
    c.eq("column names keep the table's case", [d.name for d in cur.description],
         ["SALESID", "LINEAMOUNT", "SHIPPINGDATEREQUESTED"])
    c.eq("OIDs text, numeric, timestamp", [d.type_code for d in cur.description], [25, 1700, 1114])
    cur.execute('SELECT "RECID" FROM SalesLine ORDER BY "RECID" LIMIT 3 OFFSET 2')
    c.eq("LIMIT/OFFSET", [r[0] for r in cur.fetchall()], [int(x) for x in want["recids_2_5"]])
    conn.commit()


def errors():
    cur = conn.cursor()
    c.error("unknown table", lambda: cur.execute("SELECT * FROM no_such_table"), "42P01")
    conn.rollback()
    c.error("syntax error", lambda: cur.execute("SELEC 1"), "42601")
    conn.rollback()
    c.error("invalid integer text", lambda: cur.execute("SELECT CAST('abc' AS integer) AS x"), "22P02")
    conn.rollback()
    cur.execute("SELECT 1 AS one")
    c.error("error inside a transaction", lambda: cur.execute("SELECT * FROM no_such_table"), "42P01")
    c.eq("transaction failed", conn.get_transaction_status(), psycopg2.extensions.TRANSACTION_STATUS_INERROR)
    c.error("statement after the error", lambda: cur.execute("SELECT 1 AS one"), "25P02")
    conn.rollback()
    cur.execute("SELECT 2 AS two")
    c.eq("works again after ROLLBACK", cur.fetchone()[0], 2)
    conn.commit()
    c.error("writes are refused", lambda: cur.execute("CREATE TABLE t_e2e (a int)"), "25006")
    conn.rollback()


def named_cursor():
    # psycopg2's named cursors are SQL cursors: DECLARE "name" CURSOR WITHOUT HOLD FOR …, FETCH FORWARD n FROM
    # "name", CLOSE "name", inside the implicit transaction.
    cur = conn.cursor(name="e2e_named")
    cur.itersize = 2
    cur.execute('SELECT "RECID", count(*) OVER () FROM SalesLine WHERE "RECID" >= %s ORDER BY "RECID"',
                (int(want["all_recids_3"][0]),))
    c.eq("named cursor: fetchmany(2)", [r[0] for r in cur.fetchmany(2)], [int(x) for x in want["all_recids_3"]][:2])
    rows = list(cur)  # iterates with FETCH FORWARD itersize
    c.eq("named cursor: the rest", len(rows) + 2, int(want["sales_count"]))
    c.eq("named cursor: PostgreSQL's column names", [d.name for d in cur.description], ["RECID", "count"])
    cur.close()
    conn.commit()
    held = conn.cursor(name="e2e_held", withhold=True)
    held.execute('SELECT "RECID" FROM SalesLine ORDER BY "RECID"')
    conn.commit()  # a holdable cursor outlives the transaction
    c.eq("held cursor after COMMIT", [r[0] for r in held.fetchmany(3)], [int(x) for x in want["all_recids_3"]])
    held.close()
    conn.commit()


def autocommit():
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT 1 AS one")
    c.eq("autocommit: no transaction", conn.get_transaction_status(), psycopg2.extensions.TRANSACTION_STATUS_IDLE)
    cur.execute("SET DateStyle = 'ISO'; SET extra_float_digits = 3; SELECT 3 AS three")
    c.eq("several statements in one query", cur.fetchone()[0], 3)
    cur.execute("SHOW extra_float_digits")
    c.eq("SET then SHOW", cur.fetchone()[0], "3")
    conn.autocommit = False


for name, fn in [("session", session), ("types", types), ("parameters", parameters), ("lake data", lake_data),
                 ("errors", errors), ("named cursor", named_cursor), ("autocommit", autocommit)]:
    c.run(name, fn)
    if conn.closed:
        break
    if conn.get_transaction_status() != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
        conn.rollback()
conn.close()
c.finish()
