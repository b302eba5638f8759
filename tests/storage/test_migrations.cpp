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

// What a release 2 might add: a column, and a default for the old rows.
void add_room_flags(SQLite::Database& db) {
  db.exec("ALTER TABLE rooms ADD COLUMN flags INTEGER NOT NULL DEFAULT 0");
}

void broken_step(SQLite::Database& db) {
  db.exec("CREATE TABLE half_done (x)");
  throw std::runtime_error("step failed");
}

void make_version_1_file(const std::string& path) {
  database db{path};
  db.apply({create_room_op{room_record{4, "kept", "topic", "ann", 44}},
            put_user_op{user_record{"Ann", "hash", 1, 2}}, drop_room_op{4},
            create_room_op{room_record{3, "stays", "", "", 33}}});
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
  EXPECT_EQ(db.schema_version(), 1);
  auto rooms = db.load_rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].name, "stays");
  EXPECT_EQ(db.max_room_id(), 4u);  // the dropped room's id stays used
  ASSERT_TRUE(db.find_user("ann"));
  EXPECT_EQ(db.find_user("ann")->password_hash, "hash");
}

TEST(StorageMigrations, AppendedMigrationUpgradesAndKeepsData) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  make_version_1_file(path);
  SQLite::Database raw{path, SQLite::OPEN_READWRITE};
  auto steps = schema_migrations();
  steps.push_back(&add_room_flags);
  apply_migrations(raw, steps);
  EXPECT_EQ(read_schema_version(raw), 2);
  EXPECT_EQ(raw.execAndGet("SELECT name || ':' || flags FROM rooms").getString(), "stays:0");
  apply_migrations(raw, steps);  // nothing left to do: a no-op
  EXPECT_EQ(read_schema_version(raw), 2);
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
              "database " + path +
                  ": schema version 99 is newer than this chatd supports (1); upgrade chatd");
  }
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

}  // namespace
}  // namespace chat::storage::test
