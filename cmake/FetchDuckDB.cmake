# Fetches DuckDB's shared library and C header from the npm registry, pinned by SHA-256.
#
# The library comes from @duckdb/node-bindings-linux-x64 (which ships libduckdb.so) and the header from the
# duckdb package of the same engine version. Tarballs are kept in DUCKDB_CACHE_DIR, outside the build tree,
# so a fresh build directory or a fresh clone on the same machine needs no network. A cached tarball whose
# hash does not match is deleted and fetched again. DUCKDB_OFFLINE=ON never calls npm.
#
# Result: the IMPORTED target duckdb::duckdb and DUCKDB_LIBRARY_DIR.

set(DUCKDB_VERSION "1.4.4")
set(DUCKDB_LIB_PACKAGE "@duckdb/node-bindings-linux-x64@1.4.4-r.4")
set(DUCKDB_LIB_TARBALL "duckdb-node-bindings-linux-x64-1.4.4-r.4.tgz")
set(DUCKDB_LIB_SHA256 "732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b")
set(DUCKDB_HDR_PACKAGE "duckdb@1.4.4")
set(DUCKDB_HDR_TARBALL "duckdb-1.4.4.tgz")
set(DUCKDB_HDR_SHA256 "5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed")

if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux" OR NOT CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  message(FATAL_ERROR "cdmlake pins DuckDB for linux-x64 only (this is ${CMAKE_SYSTEM_NAME}/${CMAKE_SYSTEM_PROCESSOR})")
endif()

if(DEFINED ENV{CDMLAKE_CACHE_DIR})
  set(_duckdb_default_cache "$ENV{CDMLAKE_CACHE_DIR}/duckdb")
elseif(DEFINED ENV{HOME})
  set(_duckdb_default_cache "$ENV{HOME}/.cache/cdmlake/duckdb")
else()
  set(_duckdb_default_cache "${CMAKE_BINARY_DIR}/../.cache/duckdb")
endif()
set(DUCKDB_CACHE_DIR "${_duckdb_default_cache}" CACHE PATH "Where the DuckDB npm tarballs are cached")
option(DUCKDB_OFFLINE "Use only the cached DuckDB tarballs; never call npm" OFF)

function(_cdmlake_fetch_tarball package tarball sha256 out_path)
  set(path "${DUCKDB_CACHE_DIR}/${tarball}")
  if(EXISTS "${path}")
    file(SHA256 "${path}" actual)
    if(NOT actual STREQUAL sha256)
      message(WARNING "DuckDB: cached ${tarball} has SHA-256 ${actual}, expected ${sha256}; fetching again")
      file(REMOVE "${path}")
    endif()
  endif()
  if(NOT EXISTS "${path}")
    if(DUCKDB_OFFLINE)
      message(FATAL_ERROR "DuckDB: ${path} is not cached and DUCKDB_OFFLINE is ON")
    endif()
    find_program(NPM_EXECUTABLE npm)
    if(NOT NPM_EXECUTABLE)
      message(FATAL_ERROR "DuckDB: npm is needed to fetch ${package}; run scripts/install-deps.sh")
    endif()
    file(MAKE_DIRECTORY "${DUCKDB_CACHE_DIR}")
    message(STATUS "DuckDB: fetching ${package} from the npm registry")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "${package}" --pack-destination "${DUCKDB_CACHE_DIR}" --prefer-offline --silent
      WORKING_DIRECTORY "${DUCKDB_CACHE_DIR}"
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT EXISTS "${path}")
      message(FATAL_ERROR "DuckDB: npm pack ${package} failed (${rc}): ${err}")
    endif()
    file(SHA256 "${path}" actual)
    if(NOT actual STREQUAL sha256)
      file(REMOVE "${path}")
      message(FATAL_ERROR "DuckDB: ${tarball} from npm has SHA-256 ${actual}, expected ${sha256}")
    endif()
  endif()
  set(${out_path} "${path}" PARENT_SCOPE)
endfunction()

set(_duckdb_root "${CMAKE_BINARY_DIR}/_deps/duckdb-${DUCKDB_VERSION}")
set(DUCKDB_LIBRARY_DIR "${_duckdb_root}/lib")
set(DUCKDB_INCLUDE_DIR "${_duckdb_root}/include")
if(NOT EXISTS "${DUCKDB_LIBRARY_DIR}/libduckdb.so" OR NOT EXISTS "${DUCKDB_INCLUDE_DIR}/duckdb.h")
  _cdmlake_fetch_tarball("${DUCKDB_LIB_PACKAGE}" "${DUCKDB_LIB_TARBALL}" "${DUCKDB_LIB_SHA256}" lib_tgz)
  _cdmlake_fetch_tarball("${DUCKDB_HDR_PACKAGE}" "${DUCKDB_HDR_TARBALL}" "${DUCKDB_HDR_SHA256}" hdr_tgz)
  set(tmp "${_duckdb_root}/tmp")
  file(REMOVE_RECURSE "${tmp}")
  file(ARCHIVE_EXTRACT INPUT "${lib_tgz}" DESTINATION "${tmp}" PATTERNS package/libduckdb.so package/LICENSE)
  file(ARCHIVE_EXTRACT INPUT "${hdr_tgz}" DESTINATION "${tmp}" PATTERNS package/src/duckdb/src/include/duckdb.h)
  file(MAKE_DIRECTORY "${DUCKDB_LIBRARY_DIR}" "${DUCKDB_INCLUDE_DIR}")
  file(RENAME "${tmp}/package/libduckdb.so" "${DUCKDB_LIBRARY_DIR}/libduckdb.so")
  file(RENAME "${tmp}/package/LICENSE" "${DUCKDB_LIBRARY_DIR}/LICENSE.duckdb")
  file(RENAME "${tmp}/package/src/duckdb/src/include/duckdb.h" "${DUCKDB_INCLUDE_DIR}/duckdb.h")
  file(REMOVE_RECURSE "${tmp}")
endif()

add_library(duckdb::duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb::duckdb PROPERTIES
  IMPORTED_LOCATION "${DUCKDB_LIBRARY_DIR}/libduckdb.so"
  IMPORTED_SONAME "libduckdb.so"
  INTERFACE_INCLUDE_DIRECTORIES "${DUCKDB_INCLUDE_DIR}")
