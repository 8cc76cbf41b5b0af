"""psycopg 3 against `cdmlake serve`: the extended query protocol with binary and text parameters, binary and text
result cursors over every common type, the switch to a named prepared statement after prepare_threshold (5) runs,
COPY ... TO STDOUT through cursor.copy, lake data checked against `cdmlake sql`, and SQLSTATEs.

With the argument `server-cursor` it runs only the server-side cursor session (DECLARE/FETCH, fetchmany)."""
import datetime
import decimal
import sys
import uuid

import psycopg

from common import Checker, conninfo, expected

D = decimal.Decimal
UTC = datetime.timezone.utc
c = Checker("psycopg3")
want = expected()
conn = psycopg.connect(conninfo(application_name="psycopg3-e2e"))

TYPES = [
    ("CAST(-32768 AS smallint)", 21, -32768),
    ("CAST(2147483647 AS integer)", 23, 2147483647),
    ("CAST(-9223372036854775808 AS bigint)", 20, -9223372036854775808),
    ("CAST(1.5 AS real)", 700, 1.5),
    ("CAST(-2.25e-300 AS double precision)", 701, -2.25e-300),
    ("CAST(12345678901234.567890 AS numeric(20,6))", 1700, D("12345678901234.567890")),
    ("CAST(-0.000123 AS numeric(10,6))", 1700, D("-0.000123")),
    ("CAST('it''s ☕ café' AS text)", 25, "it's ☕ café"),
    ("true", 16, True),
    ("CAST('2024-02-29' AS date)", 1082, datetime.date(2024, 2, 29)),
    ("CAST('1969-07-20' AS date)", 1082, datetime.date(1969, 7, 20)),
    ("CAST('23:59:58.25' AS time)", 1083, datetime.time(23, 59, 58, 250000)),
    ("CAST('2021-03-04 05:06:07.5' AS timestamp)", 1114, datetime.datetime(2021, 3, 4, 5, 6, 7, 500000)),
    ("CAST('1999-12-31 23:59:59.999999' AS timestamp)", 1114, datetime.datetime(1999, 12, 31, 23, 59, 59, 999999)),
    ("CAST('2021-03-04 05:06:07+02' AS timestamptz)", 1184, datetime.datetime(2021, 3, 4, 3, 6, 7, tzinfo=UTC)),
    ("CAST('1 day 02:03:04' AS interval)", 1186, datetime.timedelta(days=1, hours=2, minutes=3, seconds=4)),
    ("CAST('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS uuid)", 2950, uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
    ("CAST(ARRAY[1, NULL, 3] AS integer[])", 1007, [1, None, 3]),
    ("CAST(ARRAY['a', 'b c'] AS text[])", 1009, ["a", "b c"]),
    ("CAST(NULL AS integer)", 23, None),
    ("CAST(NULL AS text)", 25, None),
]


def types(binary):
    mode = "binary" if binary else "text"
    cur = conn.cursor(binary=binary)
    cur.execute("SELECT " + ", ".join("%s AS c%d" % (t[0], i) for i, t in enumerate(TYPES)))
    row = cur.fetchone()
    c.eq("%s: result format" % mode, cur.pgresult.fformat(0), 1 if binary else 0)
    for i, (expr, oid, value) in enumerate(TYPES):
        c.eq("%s: type OID of %s" % (mode, expr), cur.description[i].type_code, oid)
        got = row[i]
        if isinstance(got, datetime.datetime) and got.tzinfo:
            got = got.astimezone(UTC)
        c.eq("%s: value of %s" % (mode, expr), got, value)
    conn.commit()


def parameters(binary):
    mode = "binary" if binary else "text"
    p = "%b" if binary else "%t"
    cur = conn.cursor()
    values = [7, 3000000000, "O'Brien \"q\" \\ ☕", D("-12.345"), datetime.date(2020, 2, 29),
              datetime.datetime(2020, 2, 29, 23, 59, 59, 123456), True, 2.5, b"\x00\x01\xff",
              uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), datetime.time(12, 30, 0)]
    sql = ("SELECT {p}::integer + 1 AS i, {p}::bigint AS big, {p}::text AS t, {p}::numeric AS n, {p}::date AS d, "
           "{p}::timestamp AS ts, {p}::boolean AS b, {p}::double precision AS f, {p}::bytea AS by, {p}::uuid AS u, "
           "{p}::time AS tm").format(p=p)
    cur.execute(sql, values)
    row = cur.fetchone()
    c.eq(mode + " params: int", row[0], 8)
    c.eq(mode + " params: bigint", row[1], 3000000000)
    c.eq(mode + " params: text with quotes and unicode", row[2], values[2])
    c.eq(mode + " params: numeric", row[3], D("-12.345"))
    c.eq(mode + " params: date", row[4], values[4])
    c.eq(mode + " params: timestamp", row[5], values[5])
    c.eq(mode + " params: bool", row[6], True)
    c.eq(mode + " params: float8", row[7], 2.5)
    c.eq(mode + " params: bytea", row[8], b"\x00\x01\xff")
    c.eq(mode + " params: uuid", row[9], values[9])
    c.eq(mode + " params: time", row[10], values[10])
    cur.execute("SELECT CAST(%s AS integer) IS NULL AS n", (None,))
    c.eq(mode + " params: NULL", cur.fetchone()[0], True)
    conn.commit()


def prepared():
    cur = conn.cursor()
    lines = want["customer_lines"]
    sql = 'SELECT count(*) AS n FROM SalesLine WHERE "CUSTACCOUNT" = %s AND "RECID" > %s'
    for i in range(8):  # psycopg prepares a named statement (_pg3_N) from the 6th run on
        cur.execute(sql, (want["customer"], 0))
        c.eq("run %d of a repeated statement" % (i + 1), cur.fetchone()[0], len(lines))
    names = getattr(getattr(conn, "_prepared", None), "_names", None)
    if names is not None:
        c.true("psycopg prepared a named statement", any(k[0].startswith(b"SELECT count(*)") for k in names),
               repr(names))
    for binary in (False, True):
        cur = conn.cursor(binary=binary)
        cur.execute('SELECT "SALESID", "LINEAMOUNT" FROM SalesLine WHERE "CUSTACCOUNT" = %s ORDER BY "RECID"',
                    (want["customer"],), prepare=True)
        c.eq("explicitly prepared (%s)" % ("binary" if binary else "text"),
             [[r[0], str(r[1])] for r in cur.fetchall()], [[x[0], x[1]] for x in lines])
    conn.commit()


def lake_data():
    cur = conn.cursor(binary=True)
    cur.execute('SELECT count(*) AS n, sum("LINEAMOUNT") AS total FROM SalesLine')
    n, total = cur.fetchone()
    c.eq("count(*) (binary)", n, int(want["sales_count"]))
    c.eq("sum(LINEAMOUNT) (binary numeric)", total, D(want["sales_total"]))
    cur.execute('SELECT "RECID" FROM SalesLine ORDER BY "RECID" LIMIT %s OFFSET %s', (3, 2))
    c.eq("LIMIT/OFFSET as parameters", [r[0] for r in cur.fetchall()], [int(x) for x in want["recids_2_5"]])
    cur.execute('SELECT "SHIPPINGDATEREQUESTED" FROM SalesLine WHERE "CUSTACCOUNT" = %s ORDER BY "RECID"',
                (want["customer"],))
    c.eq("timestamps (binary)", [r[0].strftime("%Y-%m-%d %H:%M:%S") if r[0] else "" for r in cur.fetchall()],
         [x[2] for x in want["customer_lines"]])
    conn.commit()


def copy_out():
    cur = conn.cursor()
    data = b""
    with cur.copy('COPY (SELECT "RECID", "SALESID", "LINEAMOUNT" FROM SalesLine ORDER BY "RECID") TO STDOUT') as cp:
        for chunk in cp:
            data += bytes(chunk)
    lines = data.decode().splitlines()
    c.eq("COPY TO STDOUT rows", len(lines), int(want["sales_count"]))
    c.eq("COPY TO STDOUT text format", [l.split("\t")[0] for l in lines[2:5]], want["recids_2_5"])
    with cur.copy("COPY (SELECT 1 AS a, NULL AS b, 'x\ty' AS c) TO STDOUT") as cp:
        raw = b"".join(bytes(x) for x in cp)
    c.eq("COPY text escapes: NULL as \\N, tab as \\t", raw, b"1\t\\N\tx\\ty\n")
    with cur.copy("COPY (SELECT 'a,b' AS x, 2 AS y) TO STDOUT WITH (FORMAT csv, HEADER)") as cp:
        raw = b"".join(bytes(x) for x in cp)
    c.eq("COPY CSV with header", raw, b'x,y\n"a,b",2\n')
    with cur.copy('COPY (SELECT "RECID", "SALESID" FROM SalesLine ORDER BY "RECID" LIMIT 3) TO STDOUT') as cp:
        cp.set_types(["int8", "text"])
        rows = list(cp.rows())
    c.eq("COPY rows() with types", [r[0] for r in rows], [int(x) for x in want["all_recids_3"]])
    conn.commit()


def errors():
    cur = conn.cursor()
    c.error("unknown table", lambda: cur.execute("SELECT * FROM no_such_table"), "42P01",
            lambda e: getattr(e, "sqlstate", None))
    conn.rollback()
    c.error("bad parameter text", lambda: cur.execute("SELECT %t::integer AS x", ("abc",)), "22P02",
            lambda e: getattr(e, "sqlstate", None))
    conn.rollback()
    cur.execute("SELECT 1 AS one")
    c.error("error in a transaction", lambda: cur.execute("SELECT * FROM no_such_table"), "42P01",
            lambda e: getattr(e, "sqlstate", None))
    c.error("then 25P02", lambda: cur.execute("SELECT %s::integer AS x", (1,)), "25P02",
            lambda e: getattr(e, "sqlstate", None))
    conn.rollback()
    cur.execute("SELECT %s::integer + 1 AS x", (1,))
    c.eq("recovered after ROLLBACK", cur.fetchone()[0], 2)
    conn.commit()
    conn.autocommit = True
    with conn.transaction():
        cur.execute("SAVEPOINT s1")
        cur.execute("RELEASE SAVEPOINT s1")
        with conn.transaction():  # a nested block is a SAVEPOINT
            cur.execute("SELECT 5 AS five")
            c.eq("inside a savepoint", cur.fetchone()[0], 5)
    c.eq("idle after the block", conn.info.transaction_status, psycopg.pq.TransactionStatus.IDLE)
    conn.autocommit = False


def server_cursor():
    with conn.cursor(name="e2e_cursor") as cur:
        cur.execute('SELECT "RECID" FROM SalesLine ORDER BY "RECID"')
        first = [r[0] for r in cur.fetchmany(2)]
        more = [r[0] for r in cur.fetchmany(3)]
        rest = cur.fetchall()
    c.eq("server cursor: fetchmany(2) then fetchmany(3)", first + more[:1] + more[1:],
         [int(x) for x in want["all_recids_3"]][:2] + [int(x) for x in want["recids_2_5"]])
    c.eq("server cursor: all rows", 5 + len(rest), int(want["sales_count"]))
    conn.commit()
    # WITH HOLD outside a transaction block, with a binary parameter and binary rows; the cursor outlives the
    # implicit transaction of its DECLARE.
    ids = [int(x) for x in want["all_recids_3"]]
    conn.autocommit = True
    with conn.cursor(name="e2e_held", withhold=True, binary=True) as cur:
        cur.execute('SELECT "RECID", count(*) OVER () FROM SalesLine WHERE "RECID" > %b ORDER BY "RECID"', (ids[0],))
        c.eq("held cursor: column names as PostgreSQL's", [d.name for d in cur.description], ["RECID", "count"])
        c.eq("held cursor: rows after the parameter", [r[0] for r in cur.fetchmany(2)], ids[1:3])
        c.eq("held cursor: count", cur.fetchone()[1], int(want["sales_count"]) - 1)
    conn.autocommit = False
    # Without a transaction block a cursor must be WITH HOLD.
    conn.autocommit = True
    try:
        with conn.cursor(name="e2e_unheld") as cur:
            cur.execute("SELECT 1")
        c.true("DECLARE outside a transaction fails", False)
    except psycopg.Error as e:
        c.eq("DECLARE outside a transaction: SQLSTATE", e.sqlstate, "25P01")
    conn.autocommit = False


if sys.argv[1:] == ["server-cursor"]:
    steps = [("server cursor", server_cursor)]
else:
    steps = [("types text", lambda: types(False)), ("types binary", lambda: types(True)),
             ("text parameters", lambda: parameters(False)), ("binary parameters", lambda: parameters(True)),
             ("prepared", prepared), ("lake data", lake_data), ("copy", copy_out), ("errors", errors)]
for name, fn in steps:
    c.run(name, fn)
    if conn.closed:
        break
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        conn.rollback()
conn.close()
c.finish()
