#!/usr/bin/env bash
# Installs the Debian packages cdmlake needs to build, test and benchmark, and only those that are missing.
# Idempotent: on a machine that has everything it returns at once without calling apt-get.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ca-certificates
  nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
  libzip-dev libpugixml-dev libicu-dev libphonenumber-dev libyaml-cpp-dev libssl-dev
  # Clients and the reference server of the SQL endpoint's end-to-end and differential tests (tests/server_*):
  # PostgreSQL 15 (server for the differential tests, psql, pgbench), psycopg2, psycopg 3, pgJDBC with a Java
  # runtime (its jdk.compiler module runs the single-file Java session), psqlODBC with unixODBC and pyodbc, and
  # openssl for test certificates. Debian may create and start a cluster 15/main on port 5432; no test uses it.
  postgresql-15 postgresql-client-15 python3-psycopg2 python3-psycopg
  libpostgresql-jdbc-java default-jre-headless odbc-postgresql unixodbc python3-pyodbc openssl
)
# npm fetches DuckDB (see cmake/FetchDuckDB.cmake); a machine that already has npm keeps its own.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# Extra packages for `make bench` only.
if [ "${1:-}" = "--bench" ]; then packages+=(hyperfine time python3); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "cdmlake: installing missing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "cdmlake: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
