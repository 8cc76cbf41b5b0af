// pgJDBC against `cdmlake serve`, run as a single-file source program (java -cp postgresql.jar JdbcSession.java).
// Mode "session": typed values, a PreparedStatement run more than prepareThreshold (5) times so that pgJDBC
// switches to a named server-side statement with binary results, setFetchSize with autocommit off (a named portal
// read with row limits: Execute maxrows + PortalSuspended), lake data checked against the values the driver
// computed with `cdmlake sql` (environment EXPECT_*), SQLSTATEs. Mode "metadata": DatabaseMetaData getTables,
// getColumns, getSchemas, getPrimaryKeys, getTypeInfo (needs the catalog emulation).
// Runs the modes given as arguments in order; prints one line per check; the exit status has bit i set when mode
// i had a failed check (so 1 for a single failed mode).
import java.math.BigDecimal;
import java.sql.*;
import java.util.*;

public class JdbcSession {
  static int passed = 0;
  static List<String> failures = new ArrayList<>();

  static void eq(String label, Object got, Object want) {
    if (Objects.equals(got, want)) {
      passed++;
      System.out.println("ok   " + label);
    } else {
      failures.add(label);
      System.out.println("FAIL " + label
          + "\n     got  " + got + (got == null ? "" : " (" + got.getClass().getSimpleName() + ")")
          + "\n     want " + want + (want == null ? "" : " (" + want.getClass().getSimpleName() + ")"));
    }
  }

  static void check(String label, boolean cond, String detail) {
    if (cond) { passed++; System.out.println("ok   " + label); }
    else { failures.add(label); System.out.println("FAIL " + label + " " + detail); }
  }

  interface Block { void run() throws Exception; }

  static void run(String label, Block b) {
    try { b.run(); } catch (Exception e) {
      failures.add(label);
      System.out.println("FAIL " + label + " raised " + e);
      e.printStackTrace(System.out);
    }
  }

  static String env(String name) { String v = System.getenv(name); return v == null ? "" : v; }

  public static void main(String[] args) throws Exception {
    List<String> modes = args.length > 0 ? Arrays.asList(args) : Arrays.asList("session");
    Properties p = new Properties();
    p.setProperty("user", env("PGUSER").isEmpty() ? "tester" : env("PGUSER"));
    if (!env("PGPASSWORD").isEmpty()) p.setProperty("password", env("PGPASSWORD"));
    p.setProperty("sslmode", env("PGSSLMODE").isEmpty() ? "disable" : env("PGSSLMODE"));
    p.setProperty("prepareThreshold", "5");
    p.setProperty("ApplicationName", "jdbc-e2e");
    p.setProperty("connectTimeout", "10");
    String url = "jdbc:postgresql://127.0.0.1:" + env("PGPORT") + "/lake";
    int status = 0;
    for (int i = 0; i < modes.size(); i++) {  // one JVM for all modes: compiling this file is the slow part
      String mode = modes.get(i);
      passed = 0;
      failures.clear();
      try (Connection conn = DriverManager.getConnection(url, p)) {
        if (mode.equals("metadata")) metadata(conn); else session(conn);
      } catch (SQLException e) {
        failures.add("connect: " + e);
      }
      System.out.println("jdbc " + mode + ": " + passed + " checks passed, " + failures.size() + " failed"
          + (failures.isEmpty() ? "" : ": " + String.join(", ", failures)));
      if (!failures.isEmpty()) status |= 1 << i;
    }
    System.exit(status);  // bit i set: mode i failed
  }

  static void session(Connection conn) {
    run("connection", () -> {
      DatabaseMetaData md = conn.getMetaData();
      String version = md.getDatabaseProductVersion();
      check("product version 15.x", version.startsWith("15"), version);
      eq("product name", md.getDatabaseProductName(), "PostgreSQL");
    });
    run("types", () -> {
      try (Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("SELECT CAST(-32768 AS smallint) AS a, CAST(2147483647 AS integer) AS b, "
               + "CAST(-9223372036854775808 AS bigint) AS c, CAST(1.5 AS real) AS d, "
               + "CAST(2.25 AS double precision) AS e, "
               + "CAST(12345678901234.567890 AS numeric(20,6)) AS f, CAST('it''s ☕' AS text) AS g, true AS h, "
               + "CAST('2024-02-29' AS date) AS i, CAST('2021-03-04 05:06:07.5' AS timestamp) AS j, "
               + "CAST('23:59:58' AS time) AS k, CAST(NULL AS integer) AS l")) {
        check("one row", rs.next(), "");
        ResultSetMetaData m = rs.getMetaData();
        eq("column count", m.getColumnCount(), 12);
        eq("smallint", rs.getShort(1), (short) -32768);
        eq("integer", rs.getInt(2), 2147483647);
        eq("bigint", rs.getLong(3), Long.MIN_VALUE);
        eq("real", rs.getFloat(4), 1.5f);
        eq("double", rs.getDouble(5), 2.25);
        eq("numeric", rs.getBigDecimal(6), new BigDecimal("12345678901234.567890"));
        eq("text", rs.getString(7), "it's ☕");
        eq("boolean", rs.getBoolean(8), true);
        eq("date", rs.getDate(9).toString(), "2024-02-29");
        eq("timestamp", rs.getTimestamp(10).toString(), "2021-03-04 05:06:07.5");
        eq("time", rs.getTime(11).toString(), "23:59:58");
        rs.getInt(12);
        check("NULL", rs.wasNull(), "");
        eq("type names", Arrays.asList(m.getColumnTypeName(1), m.getColumnTypeName(2), m.getColumnTypeName(3),
            m.getColumnTypeName(6), m.getColumnTypeName(9), m.getColumnTypeName(10)),
            Arrays.asList("int2", "int4", "int8", "numeric", "date", "timestamp"));
        eq("JDBC types", Arrays.asList(m.getColumnType(2), m.getColumnType(7), m.getColumnType(8)),
            Arrays.asList(Types.INTEGER, Types.VARCHAR, Types.BIT));
      }
    });
    run("prepared statement", () -> {
      int lines = Integer.parseInt(env("EXPECT_CUSTOMER_LINES"));
      try (PreparedStatement ps = conn.prepareStatement(
               "SELECT count(*) AS n, sum(\"LINEAMOUNT\") AS total, min(\"SHIPPINGDATEREQUESTED\") AS first_ship "
               + "FROM SalesLine WHERE \"CUSTACCOUNT\" = ? AND \"RECID\" > ?")) {
        BigDecimal total = null;
        String ship = null;
        for (int i = 1; i <= 8; i++) {  // from the 5th run on: a named server statement, binary results
          ps.setString(1, env("EXPECT_CUSTOMER"));
          ps.setLong(2, 0L);
          try (ResultSet rs = ps.executeQuery()) {
            check("run " + i + " has a row", rs.next(), "");
            eq("run " + i + " count", rs.getLong(1), (long) lines);
            if (total == null) total = rs.getBigDecimal(2); else eq("run " + i + " sum", rs.getBigDecimal(2), total);
            Timestamp t = rs.getTimestamp(3);
            String s = t == null ? "" : t.toString();
            if (ship == null) ship = s; else eq("run " + i + " min timestamp", s, ship);
          }
        }
        check("server-prepared after 5 runs", ps.unwrap(org.postgresql.PGStatement.class).isUseServerPrepare(), "");
        eq("sum of the customer's lines", total, new BigDecimal(env("EXPECT_CUSTOMER_TOTAL")));
      }
      try (PreparedStatement ps = conn.prepareStatement(
               "SELECT CAST(? AS integer) + 1 AS i, CAST(? AS text) AS t, CAST(? AS numeric(12,4)) AS n, "
               + "CAST(? AS date) AS d")) {
        for (int i = 0; i < 7; i++) {
          ps.setInt(1, i);
          ps.setString(2, "x'" + i);
          ps.setBigDecimal(3, new BigDecimal("1.25").add(BigDecimal.valueOf(i)));
          ps.setDate(4, java.sql.Date.valueOf("2020-01-0" + (i + 1)));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            eq("params run " + i,
                Arrays.asList(rs.getInt(1), rs.getString(2), rs.getBigDecimal(3), rs.getDate(4).toString()),
                Arrays.asList(i + 1, "x'" + i, new BigDecimal("1.2500").add(BigDecimal.valueOf(i)),
                    "2020-01-0" + (i + 1)));
          }
        }
      }
    });
    run("fetch size", () -> {
      conn.setAutoCommit(false);  // a cursor-based result set needs a transaction
      try (Statement st = conn.createStatement()) {
        st.setFetchSize(7);
        try (ResultSet rs = st.executeQuery("SELECT \"RECID\" FROM SalesLine ORDER BY \"RECID\"")) {
          List<Long> ids = new ArrayList<>();
          while (rs.next()) ids.add(rs.getLong(1));
          eq("all rows through 7-row fetches", (long) ids.size(), Long.parseLong(env("EXPECT_COUNT")));
          List<String> first = new ArrayList<>();
          for (int i = 0; i < Math.min(3, ids.size()); i++) first.add(Long.toString(ids.get(i)));
          eq("first rows", String.join(",", first), env("EXPECT_FIRST_RECIDS"));
        }
      }
      try (PreparedStatement ps = conn.prepareStatement(
               "SELECT \"RECID\", \"LINEAMOUNT\" FROM SalesLine WHERE \"RECID\" > ? ORDER BY \"RECID\"")) {
        ps.setFetchSize(10);
        ps.setLong(1, 0L);
        long n = 0;
        BigDecimal sum = BigDecimal.ZERO;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) { n++; sum = sum.add(rs.getBigDecimal(2)); }
        }
        eq("prepared, fetch size 10: rows", n, Long.parseLong(env("EXPECT_COUNT")));
        eq("prepared, fetch size 10: sum", sum, new BigDecimal(env("EXPECT_TOTAL")));
      }
      conn.commit();
      conn.setAutoCommit(true);
    });
    run("errors", () -> {
      try (Statement st = conn.createStatement()) {
        try {
          st.executeQuery("SELECT * FROM no_such_table");
          check("error for an unknown table", false, "no exception");
        } catch (SQLException e) {
          eq("unknown table SQLSTATE", e.getSQLState(), "42P01");
        }
        try (ResultSet rs = st.executeQuery("SELECT 1 AS one")) {
          rs.next();
          eq("works after an error", rs.getInt(1), 1);
        }
      }
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        try { st.executeQuery("SELECT * FROM no_such_table"); } catch (SQLException e) { }
        try {
          st.executeQuery("SELECT 1 AS one");
          check("25P02 after an error in a transaction", false, "no exception");
        } catch (SQLException e) {
          eq("in failed transaction SQLSTATE", e.getSQLState(), "25P02");
        }
        conn.rollback();
        Savepoint sp = conn.setSavepoint("e2e");
        try (ResultSet rs = st.executeQuery("SELECT 2 AS two")) {
          rs.next();
          eq("after ROLLBACK and SAVEPOINT", rs.getInt(1), 2);
        }
        conn.releaseSavepoint(sp);
        conn.commit();
      }
      conn.setAutoCommit(true);
    });
  }

  static void metadata(Connection conn) {
    run("getTables", () -> {
      DatabaseMetaData md = conn.getMetaData();
      Set<String> names = new TreeSet<>();
      try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
        while (rs.next()) names.add(rs.getString("TABLE_NAME").toLowerCase());
      }
      check("getTables lists salesline", names.contains("salesline"), names.toString());
      check("getTables lists custtable", names.contains("custtable"), names.toString());
    });
    run("getColumns", () -> {
      DatabaseMetaData md = conn.getMetaData();
      Map<String, String> cols = new LinkedHashMap<>();
      String table = null;
      try (ResultSet t = md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
        while (t.next()) {
          if (t.getString("TABLE_NAME").equalsIgnoreCase("salesline")) table = t.getString("TABLE_NAME");
        }
      }
      try (ResultSet rs = md.getColumns(null, null, table, "%")) {
        while (rs.next()) cols.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"));
      }
      eq("SalesLine column count", cols.size(), 17);
      eq("RECID type", cols.get("RECID"), "int8");
      eq("LINEAMOUNT type", cols.get("LINEAMOUNT"), "numeric");
      eq("CREATEDDATETIME type", cols.get("CREATEDDATETIME"), "timestamp");
    });
    run("getSchemas, getPrimaryKeys, getTypeInfo", () -> {
      DatabaseMetaData md = conn.getMetaData();
      int schemas = 0;
      try (ResultSet rs = md.getSchemas()) { while (rs.next()) schemas++; }
      check("getSchemas returns schemas", schemas > 0, "");
      try (ResultSet rs = md.getPrimaryKeys(null, null, "salesline")) { while (rs.next()) { } }
      int types = 0;
      try (ResultSet rs = md.getTypeInfo()) { while (rs.next()) types++; }
      check("getTypeInfo returns types", types > 10, "" + types);
    });
  }
}
