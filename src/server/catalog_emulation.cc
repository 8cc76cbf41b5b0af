#include "server/catalog_emulation.h"

namespace cdmlake::server {

CatalogEmulation::CatalogEmulation(engine::Database& database, std::string database_name)
    : database_name_(std::move(database_name)) {
  (void)database;
}

std::string CatalogEmulation::Rewrite(const std::string& sql) const { return sql; }

void CatalogEmulation::PrepareConnection(duckdb_connection connection) const { (void)connection; }

}  // namespace cdmlake::server
