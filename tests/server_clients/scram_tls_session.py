"""Authentication and TLS of `cdmlake serve --users FILE --tls-cert C --tls-key K`: SCRAM-SHA-256 with the right
password over TLS (sslmode=require) and in clear (sslmode=disable) through psycopg 3 and psycopg2, the wrong
password refused, and the SQLSTATE of that refusal (28P01) read from the ErrorResponse itself with a raw protocol
exchange, since libpq does not expose the SQLSTATE of connection failures. Environment: PGPORT, CDMLAKE_USER,
CDMLAKE_PASSWORD."""
import base64
import os
import socket
import struct

import psycopg
import psycopg2

from common import Checker, expected

c = Checker("scram+tls")
want = expected()
port = int(os.environ["PGPORT"])
user = os.environ["CDMLAKE_USER"]
password = os.environ["CDMLAKE_PASSWORD"]


def params(**kw):
    p = dict(host="127.0.0.1", port=port, user=user, password=password, dbname="lake", connect_timeout=10)
    p.update(kw)
    return p


def good():
    for sslmode, tls in (("require", True), ("disable", False), ("prefer", True)):
        with psycopg.connect(**params(sslmode=sslmode)) as conn:
            c.eq("psycopg sslmode=%s: TLS in use" % sslmode, bool(conn.pgconn.ssl_in_use), tls)
            n = conn.execute("SELECT count(*) AS n FROM SalesLine").fetchone()[0]
            c.eq("psycopg sslmode=%s: query" % sslmode, n, int(want["sales_count"]))
    conn = psycopg2.connect(**params(sslmode="require"))
    cur = conn.cursor()
    cur.execute("SELECT 40 + %s AS x", (2,))
    c.eq("psycopg2 over TLS", cur.fetchone()[0], 42)
    conn.close()


def bad():
    for sslmode in ("require", "disable"):
        try:
            psycopg.connect(**params(sslmode=sslmode, password=password + "x")).close()
            c.true("wrong password refused (sslmode=%s)" % sslmode, False, "connected")
        except psycopg.OperationalError as e:
            c.true("wrong password refused (sslmode=%s)" % sslmode, "password authentication failed" in str(e), str(e))


def message(kind, payload):
    return kind + struct.pack("!I", len(payload) + 4) + payload


def read_message(sock):
    head = b""
    while len(head) < 5:
        chunk = sock.recv(5 - len(head))
        if not chunk:
            raise EOFError("connection closed")
        head += chunk
    kind, length = head[:1], struct.unpack("!I", head[1:])[0]
    body = b""
    while len(body) < length - 4:
        chunk = sock.recv(length - 4 - len(body))
        if not chunk:
            raise EOFError("connection closed")
        body += chunk
    return kind, body


def error_fields(body):
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[part[:1].decode()] = part[1:].decode()
    return fields


def raw_wrong_proof(name):
    """Startup in clear, SCRAM with a client proof that cannot be right: the server must answer 28P01."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    startup = struct.pack("!I", 196608) + b"user\0" + name.encode() + b"\0database\0lake\0\0"
    sock.sendall(struct.pack("!I", len(startup) + 4) + startup)
    kind, body = read_message(sock)
    c.eq("%s: AuthenticationSASL" % name, (kind, struct.unpack("!I", body[:4])[0]), (b"R", 10))
    c.true("%s: offers SCRAM-SHA-256" % name, b"SCRAM-SHA-256\0" in body, repr(body))
    client_first = b"n,,n=,r=abcdefghijklmnopqrstuvwx"
    sock.sendall(message(b"p", b"SCRAM-SHA-256\0" + struct.pack("!I", len(client_first)) + client_first))
    kind, body = read_message(sock)
    c.eq("%s: AuthenticationSASLContinue" % name, (kind, struct.unpack("!I", body[:4])[0]), (b"R", 11))
    server_first = dict(x.split("=", 1) for x in body[4:].decode().split(","))
    final = "c=biws,r=%s,p=%s" % (server_first["r"], base64.b64encode(b"\x01" * 32).decode())
    sock.sendall(message(b"p", final.encode()))
    kind, body = read_message(sock)
    c.eq("%s: ErrorResponse" % name, kind, b"E")
    fields = error_fields(body)
    c.eq("%s: SQLSTATE" % name, fields.get("C"), "28P01")
    c.eq("%s: severity" % name, fields.get("S"), "FATAL")
    sock.close()


c.run("right password", good)
c.run("wrong password", bad)
c.run("wrong proof, known user", lambda: raw_wrong_proof(user))
c.run("wrong proof, unknown user", lambda: raw_wrong_proof("nobody"))
c.finish()
