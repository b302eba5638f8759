// The numbered schema migrations of the database. Internal to storage/: only
// database.cpp and the storage tests use it. Pure functions over a connection;
// the caller owns the connection and its thread.
#pragma once

#include <vector>

namespace SQLite {
class Database;
}

namespace chat::storage {

// One schema step: turns version N-1 into version N (N = its place in the list,
// counting from 1). Runs inside the caller's transaction; must not commit.
using migration = void (*)(SQLite::Database& db);

// Every migration of this release, oldest first. A new release appends one
// function here and raises database::current_schema_version to match.
const std::vector<migration>& schema_migrations();

// Reads PRAGMA user_version and applies the steps of `steps` the file lacks, all
// in one transaction together with the new user_version: a failure leaves the
// file at its old version. Throws SQLite::Exception.
void apply_migrations(SQLite::Database& db, const std::vector<migration>& steps);

// PRAGMA user_version of the open file.
int read_schema_version(SQLite::Database& db);

}  // namespace chat::storage
