// Schema versions: a new file gets every migration, an existing one keeps its
// data, a newer one is refused untouched, and a later release's migration is
// one more function in the list.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "temp_folder.hpp"

namespace chat::storage::test {
namespace {

bool has_table(SQLite::Database& db, const std::string& name) {
  return db.tableExists(name);
}

// What a later release might add: a column, and a default for the old rows.
void add_room_flags(SQLite::Database& db) {
  db.exec("ALTER TABLE rooms ADD COLUMN flags INTEGER NOT NULL DEFAULT 0");
}

void broken_step(SQLite::Database& db) {
  db.exec("CREATE TABLE half_done (x)");
  throw std::runtime_error("step failed");
}

// A file as release 1 left it: its schema, a room, a user, and the id of a
// dropped room in the counter.
void make_version_1_file(const std::string& path) {
  SQLite::Database raw{path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  apply_migrations(raw, {schema_migrations().front()});
  raw.exec(
      "INSERT INTO rooms (id, name, name_key, topic, owner, created_ms) "
      "VALUES (3, 'stays', 'stays', 'old topic', 'ann', 33);"
      "INSERT INTO users (nick_key, nick, password_hash, created_ms, last_login_ms) "
      "VALUES ('ann', 'Ann', 'hash', 1, 2);"
      "UPDATE counters SET value = 4 WHERE name = 'max_room_id';");
}

TEST(StorageMigrations, ListMatchesCurrentSchemaVersion) {
  EXPECT_EQ(schema_migrations().size(), static_cast<std::size_t>(database::current_schema_version));
}

TEST(StorageMigrations, EmptyFileGetsEveryTable) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  { database db{path}; }
  SQLite::Database raw{path};
  EXPECT_EQ(read_schema_version(raw), database::current_schema_version);
  EXPECT_TRUE(has_table(raw, "rooms"));
  EXPECT_TRUE(has_table(raw, "users"));
  EXPECT_TRUE(has_table(raw, "counters"));
}

TEST(StorageMigrations, Version1FileReopensWithItsData) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  make_version_1_file(path);
  database db{path};
  EXPECT_EQ(db.schema_version(), database::current_schema_version);
  auto rooms = db.load_rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].name, "stays");
  EXPECT_EQ(rooms[0].topic, "old topic");
  EXPECT_EQ(rooms[0].owner, "ann");
  EXPECT_EQ(rooms[0].created_ms, 33);
  EXPECT_EQ(rooms[0].origin, "") << "rooms from before the cluster have no origin";
  EXPECT_EQ(rooms[0].topic_ms, 0);
  EXPECT_EQ(db.max_room_id(), 4u);  // the dropped room's id stays used
  ASSERT_TRUE(db.find_user("ann"));
  EXPECT_EQ(db.find_user("ann")->password_hash, "hash");
  EXPECT_EQ(db.find_user("ann")->origin, "");
  EXPECT_EQ(db.find_user("ann")->time_zone, "") << "users from before /tz are in UTC";
  EXPECT_TRUE(db.load_dropped_room_ids().empty());
  // Version 2's tombstones work on the upgraded file.
  EXPECT_EQ(db.apply({drop_room_op{3, 50}}), std::vector<op_outcome>{op_outcome::done});
  EXPECT_EQ(db.load_dropped_room_ids(), std::vector<uint64_t>{3});
}

// A file of main's release before /tz (schema version 2, with the cluster's
// origins): it gains users.time_zone and keeps its registrations.
TEST(StorageMigrations, Version2FileGainsTheTimeZoneColumn) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  {
    SQLite::Database raw{path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    apply_migrations(raw, {schema_migrations()[0], schema_migrations()[1]});
    ASSERT_EQ(read_schema_version(raw), 2);
    raw.exec(
        "INSERT INTO users (nick_key, nick, password_hash, created_ms, last_login_ms, origin) "
        "VALUES ('bo', 'Bo', 'hash', 1, 2, 'n1');");
  }
  database db{path};
  EXPECT_EQ(db.schema_version(), database::current_schema_version);
  auto user = db.find_user("bo");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->origin, "n1");
  EXPECT_EQ(user->time_zone, "");
  user->time_zone = "Europe/Berlin";
  EXPECT_EQ(db.apply({put_user_op{*user}}), std::vector<op_outcome>{op_outcome::done});
  EXPECT_EQ(db.find_user("bo")->time_zone, "Europe/Berlin");
}

TEST(StorageMigrations, AppendedMigrationUpgradesAndKeepsData) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  make_version_1_file(path);
  SQLite::Database raw{path, SQLite::OPEN_READWRITE};
  auto steps = schema_migrations();
  steps.push_back(&add_room_flags);
  apply_migrations(raw, steps);
  auto next = database::current_schema_version + 1;
  EXPECT_EQ(read_schema_version(raw), next);
  EXPECT_EQ(raw.execAndGet("SELECT name || ':' || flags FROM rooms").getString(), "stays:0");
  apply_migrations(raw, steps);  // nothing left to do: a no-op
  EXPECT_EQ(read_schema_version(raw), next);
}

TEST(StorageMigrations, FailedStepLeavesTheOldVersion) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  make_version_1_file(path);
  SQLite::Database raw{path, SQLite::OPEN_READWRITE};
  auto steps = schema_migrations();
  steps.push_back(&add_room_flags);
  steps.push_back(&broken_step);
  EXPECT_THROW(apply_migrations(raw, steps), std::runtime_error);
  EXPECT_EQ(read_schema_version(raw), 1);
  EXPECT_FALSE(has_table(raw, "half_done"));
  EXPECT_FALSE(has_table(raw, "dropped_rooms")) << "the steps that worked are undone too";
  EXPECT_THROW(raw.exec("SELECT flags FROM rooms"), SQLite::Exception);
}

TEST(StorageMigrations, NewerFileIsRefusedAndLeftUntouched) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  {
    SQLite::Database future{path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    future.exec("CREATE TABLE future_rooms (id INTEGER PRIMARY KEY); PRAGMA user_version = 99");
  }
  auto before = read_bytes(path);
  try {
    database db{path};
    FAIL() << "a version 99 file was opened";
  } catch (const database_error& e) {
    EXPECT_EQ(std::string{e.what()},
              "database " + path + ": schema version 99 is newer than this chatd supports (" +
                  std::to_string(database::current_schema_version) + "); upgrade chatd");
  }
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

}  // namespace
}  // namespace chat::storage::test
