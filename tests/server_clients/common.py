"""Shared helpers of the client scripts run by tests/server_clients_test.cc and server_differential_test.cc.

The driver passes the connection through libpq's environment variables (PGHOST, PGPORT, PGUSER, PGDATABASE,
PGPASSWORD, PGSSLMODE), which psycopg2 and psycopg read themselves, and the values it expects (computed with
`cdmlake sql`, not through the server) as JSON in CDMLAKE_EXPECT. A script prints one line per check and exits 1
when any check failed, so the driver's failure message shows every mismatch at once.
"""
import json
import os
import sys
import traceback


def expected():
    return json.loads(os.environ.get("CDMLAKE_EXPECT", "{}"))


def conninfo(**extra):
    parts = {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ["PGPORT"],
        "user": os.environ.get("PGUSER", "tester"),
        "dbname": os.environ.get("PGDATABASE", "lake"),
    }
    parts.update(extra)
    return " ".join("%s=%s" % (k, v) for k, v in parts.items())


class Checker:
    def __init__(self, name):
        self.name = name
        self.failures = []
        self.passed = 0

    def eq(self, label, got, want):
        if got == want and type(got) is type(want):
            self.passed += 1
            print("ok   %s" % label)
        else:
            self.failures.append(label)
            print("FAIL %s\n     got  %r (%s)\n     want %r (%s)" % (label, got, type(got).__name__, want,
                                                                      type(want).__name__))

    def true(self, label, cond, detail=""):
        if cond:
            self.passed += 1
            print("ok   %s" % label)
        else:
            self.failures.append(label)
            print("FAIL %s %s" % (label, detail))

    def error(self, label, fn, sqlstate, code_of=lambda e: getattr(e, "pgcode", None)):
        """fn() must raise an error whose SQLSTATE is sqlstate."""
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - any driver error
            self.eq(label + " SQLSTATE", code_of(e), sqlstate)
            return e
        self.failures.append(label)
        print("FAIL %s: no error, expected SQLSTATE %s" % (label, sqlstate))
        return None

    def run(self, label, fn):
        """Runs a block of checks; an unexpected exception fails it and the script goes on."""
        try:
            fn()
        except Exception:  # noqa: BLE001
            self.failures.append(label)
            print("FAIL %s raised:\n%s" % (label, traceback.format_exc()))

    def finish(self):
        print("%s: %d checks passed, %d failed%s" % (self.name, self.passed, len(self.failures),
                                                     (": " + ", ".join(self.failures)) if self.failures else ""))
        sys.exit(1 if self.failures else 0)
