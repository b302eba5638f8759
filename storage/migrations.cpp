#include "storage/migrations.hpp"

#include <SQLiteCpp/Database.h>

#include <string>

namespace chat::storage {
namespace {

// Version 1: rooms, registered users, and the room id high-water mark. The
// counter outlives dropped rooms, so their ids are never handed out again.
void create_rooms_and_users(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE rooms ("
      "  id INTEGER PRIMARY KEY,"
      "  name TEXT NOT NULL,"
      "  name_key TEXT NOT NULL UNIQUE,"
      "  topic TEXT NOT NULL DEFAULT '',"
      "  owner TEXT NOT NULL DEFAULT '',"
      "  created_ms INTEGER NOT NULL);"
      "CREATE TABLE users ("
      "  nick_key TEXT PRIMARY KEY,"
      "  nick TEXT NOT NULL,"
      "  password_hash TEXT NOT NULL,"
      "  created_ms INTEGER NOT NULL,"
      "  last_login_ms INTEGER NOT NULL);"
      "CREATE TABLE counters ("
      "  name TEXT PRIMARY KEY,"
      "  value INTEGER NOT NULL);"
      "INSERT INTO counters (name, value) VALUES ('max_room_id', 0);");
}

// Version 2, for the cluster: where a room or registration was made, when a
// topic was set (replicas merge by these), and tombstones of dropped rooms,
// so that a replica never brings a dropped room back.
void add_origins_and_tombstones(SQLite::Database& db) {
  db.exec(
      "ALTER TABLE rooms ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
      "ALTER TABLE rooms ADD COLUMN topic_ms INTEGER NOT NULL DEFAULT 0;"
      "ALTER TABLE users ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
      "CREATE TABLE dropped_rooms ("
      "  id INTEGER PRIMARY KEY,"
      "  dropped_ms INTEGER NOT NULL);");
}

// Version 3: a registered user's time zone for text-mode times (/tz).
void add_user_time_zone(SQLite::Database& db) {
  db.exec("ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';");
}

// Undoes an open transaction without masking the error that got us here.
void rollback_quietly(SQLite::Database& db) {
  try {
    db.exec("ROLLBACK");
  } catch (const SQLite::Exception&) {
    // SQLite may already have rolled back on its own (disk full, I/O error).
  }
}

}  // namespace

const std::vector<migration>& schema_migrations() {
  static const std::vector<migration> steps{&create_rooms_and_users, &add_origins_and_tombstones,
                                            &add_user_time_zone};
  return steps;
}

int read_schema_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

void apply_migrations(SQLite::Database& db, const std::vector<migration>& steps) {
  // IMMEDIATE takes the write lock before reading the version, so two
  // processes starting on one file cannot both run the same step.
  db.exec("BEGIN IMMEDIATE");
  try {
    auto from = read_schema_version(db);
    auto to = static_cast<int>(steps.size());
    for (auto version = from + 1; version <= to; ++version) steps[version - 1](db);
    if (to > from) db.exec("PRAGMA user_version = " + std::to_string(to));
    db.exec("COMMIT");
  } catch (...) {
    rollback_quietly(db);
    throw;
  }
}

}  // namespace chat::storage
