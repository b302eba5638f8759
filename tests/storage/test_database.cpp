// The database on its own: opening (and refusing) files, every write operation,
// batches where one operation fails alone, and a commit that cannot happen.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "storage/database.hpp"
#include "temp_folder.hpp"

namespace chat::storage::test {
namespace {

room_record room(uint64_t id, const std::string& name, const std::string& owner = "ann") {
  return room_record{id, name, "", owner, 1000 + static_cast<int64_t>(id), "", 0};
}

user_record user(const std::string& nick, const std::string& hash = "h1") {
  return user_record{nick, hash, 10, 20, "", ""};
}

std::string open_error(const std::string& path) {
  try {
    database db{path};
  } catch (const database_error& e) {
    return e.what();
  }
  return "(no error)";
}

struct StorageDatabase : ::testing::Test {
  temp_folder dir;
  std::string path = dir.file("chat.db");
  database db{path};

  op_outcome one(write_op op) { return db.apply({std::move(op)}).at(0); }
};

TEST_F(StorageDatabase, NewFileIsAtCurrentSchemaInWalMode) {
  EXPECT_EQ(db.schema_version(), database::current_schema_version);
  SQLite::Database other{path};
  EXPECT_EQ(other.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_TRUE(db.load_rooms().empty());
  EXPECT_EQ(db.max_room_id(), 0u);
}

TEST(StorageOpen, CreatesParentFolders) {
  temp_folder dir;
  auto path = dir.file("data/nested/chat.db");
  database db{path};
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(StorageDatabase, CreatedRoomsLoadWithAllFields) {
  room_record r{7, "Lounge", "tea", "ann", 1234, "", 0};
  EXPECT_EQ(one(create_room_op{r}), op_outcome::done);
  auto rooms = db.load_rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].id, 7u);
  EXPECT_EQ(rooms[0].name, "Lounge");
  EXPECT_EQ(rooms[0].topic, "tea");
  EXPECT_EQ(rooms[0].owner, "ann");
  EXPECT_EQ(rooms[0].created_ms, 1234);
  EXPECT_EQ(db.max_room_id(), 7u);
}

TEST_F(StorageDatabase, RoomNameTakenInAnyCaseIsAConflict) {
  EXPECT_EQ(one(create_room_op{room(1, "General")}), op_outcome::done);
  EXPECT_EQ(one(create_room_op{room(2, "GENERAL")}), op_outcome::conflict);
  EXPECT_EQ(db.load_rooms().size(), 1u);
}

TEST_F(StorageDatabase, RoomIdTakenIsAConflict) {
  EXPECT_EQ(one(create_room_op{room(1, "a")}), op_outcome::done);
  EXPECT_EQ(one(create_room_op{room(1, "b")}), op_outcome::conflict);
  EXPECT_EQ(db.load_rooms().at(0).name, "a");
}

TEST_F(StorageDatabase, TopicOfExistingAndMissingRoom) {
  one(create_room_op{room(3, "a")});
  EXPECT_EQ(one(set_topic_op{3, "new topic"}), op_outcome::done);
  EXPECT_EQ(db.load_rooms().at(0).topic, "new topic");
  EXPECT_EQ(one(set_topic_op{4, "nowhere"}), op_outcome::not_found);
}

TEST_F(StorageDatabase, DropRemovesRoomButKeepsItsIdTaken) {
  one(create_room_op{room(1, "a")});
  one(create_room_op{room(2, "b")});
  EXPECT_EQ(one(drop_room_op{2}), op_outcome::done);
  EXPECT_EQ(one(drop_room_op{2}), op_outcome::not_found);
  ASSERT_EQ(db.load_rooms().size(), 1u);
  EXPECT_EQ(db.max_room_id(), 2u);  // id 2 is never handed out again
}

TEST_F(StorageDatabase, UsersAreFoundByFoldedNick) {
  EXPECT_EQ(one(put_user_op{user("Alice")}), op_outcome::done);
  auto found = db.find_user("aLICE");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nick, "Alice");
  EXPECT_EQ(found->password_hash, "h1");
  EXPECT_EQ(found->created_ms, 10);
  EXPECT_EQ(found->last_login_ms, 20);
  EXPECT_FALSE(db.find_user("bob"));
}

TEST_F(StorageDatabase, PutUserReplacesTheSameFoldedNick) {
  one(put_user_op{user("Alice", "old")});
  EXPECT_EQ(one(put_user_op{user("ALICE", "new")}), op_outcome::done);
  auto found = db.find_user("alice");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->password_hash, "new");
  EXPECT_EQ(found->nick, "ALICE");
}

TEST_F(StorageDatabase, TouchLoginFoldsTheNick) {
  one(put_user_op{user("Alice")});
  EXPECT_EQ(one(touch_login_op{"ALICE", 999}), op_outcome::done);
  EXPECT_EQ(db.find_user("alice")->last_login_ms, 999);
  EXPECT_EQ(one(touch_login_op{"nobody", 1}), op_outcome::not_found);
}

TEST_F(StorageDatabase, FailedOperationsFailAloneInTheirBatch) {
  auto outcomes = db.apply({create_room_op{room(1, "a")}, create_room_op{room(2, "A")},
                            create_room_op{room(3, "b")}, set_topic_op{9, "x"},
                            set_topic_op{3, "kept"}, drop_room_op{8}, put_user_op{user("u")}});
  std::vector<op_outcome> expected{
      op_outcome::done, op_outcome::conflict,  op_outcome::done, op_outcome::not_found,
      op_outcome::done, op_outcome::not_found, op_outcome::done};
  EXPECT_EQ(outcomes, expected);
  auto rooms = db.load_rooms();
  ASSERT_EQ(rooms.size(), 2u);
  EXPECT_EQ(rooms[1].topic, "kept");
  EXPECT_EQ(db.max_room_id(), 8u);  // the tombstone of 8 counts
  EXPECT_EQ(one(create_room_op{room(2, "c")}), op_outcome::done)
      << "the conflicting id 2 left no trace";
  EXPECT_TRUE(db.find_user("u"));
}

TEST_F(StorageDatabase, EmptyBatchIsFine) {
  EXPECT_TRUE(db.apply({}).empty());
}

TEST_F(StorageDatabase, LockedFileFailsWholeBatchAndKeepsWorking) {
  one(create_room_op{room(1, "before")});
  {
    SQLite::Database other{path, SQLite::OPEN_READWRITE};
    other.exec("BEGIN EXCLUSIVE");
    EXPECT_THROW(db.apply({create_room_op{room(2, "blocked")}}), database_error);
    other.exec("ROLLBACK");
  }
  EXPECT_EQ(db.load_rooms().size(), 1u);
  EXPECT_EQ(one(create_room_op{room(2, "after")}), op_outcome::done);
}

TEST_F(StorageDatabase, FullDiskFailsWholeBatchAndKeepsWorking) {
  one(create_room_op{room(1, "before")});
  {
    file_size_limit full_disk{256 * 1024};
    try {
      db.apply(big_batch(2, 2000));
      ADD_FAILURE() << "a batch larger than the disk was committed";
    } catch (const database_error& e) {
      EXPECT_EQ(std::string{e.what()}.rfind("database write failed: ", 0), 0u) << e.what();
    }
  }
  ASSERT_EQ(db.load_rooms().size(), 1u);
  EXPECT_EQ(db.max_room_id(), 1u);
  EXPECT_EQ(one(create_room_op{room(2, "after")}), op_outcome::done);
}

TEST_F(StorageDatabase, DataIsVisibleToAnotherConnection) {
  one(create_room_op{room(5, "shared")});
  database second{path};
  EXPECT_EQ(second.load_rooms().at(0).name, "shared");
}

TEST(StorageOpen, GarbageFileIsRefusedAndLeftAlone) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  std::string garbage(8192, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>('a' + i % 26);
  write_bytes(path, garbage);
  EXPECT_EQ(open_error(path), "cannot open database " + path + ": file is not a database");
  EXPECT_EQ(read_bytes(path), garbage);
}

TEST(StorageOpen, PathUnderAFileIsRefused) {
  temp_folder dir;
  write_bytes(dir.file("plain"), "x");
  auto path = dir.file("plain/chat.db");
  auto message = open_error(path);
  EXPECT_EQ(message.rfind("cannot open database " + path + ": cannot create folder", 0), 0u)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(StorageOpen, FolderInsteadOfFileIsRefused) {
  temp_folder dir;
  auto message = open_error(dir.path());
  EXPECT_EQ(message, "cannot open database " + dir.path() + ": unable to open database file");
}

TEST(StorageOpen, ReadOnlyFileIsRefused) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes to read-only files";
  temp_folder dir;
  auto path = dir.file("chat.db");
  { database db{path}; }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  EXPECT_EQ(open_error(path), "cannot open database " + path + ": file is read-only");
}

TEST(StorageOpen, EmptyFileBecomesADatabase) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  write_bytes(path, "");
  database db{path};
  EXPECT_EQ(db.schema_version(), database::current_schema_version);
}

}  // namespace
}  // namespace chat::storage::test

// ---- the replicated state of the cluster (schema version 2) ----

namespace chat::storage::test {
namespace {

TEST_F(StorageDatabase, OriginAndTopicTimeAreKept) {
  room_record r{1030, "den", "tea", "ann", 55, "node2", 77};
  ASSERT_EQ(one(create_room_op{r}), op_outcome::done);
  ASSERT_EQ(one(set_topic_op{1030, "coffee", 99}), op_outcome::done);
  auto rooms = db.load_rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].origin, "node2");
  EXPECT_EQ(rooms[0].topic, "coffee");
  EXPECT_EQ(rooms[0].topic_ms, 99);
  ASSERT_EQ(one(put_user_op{user_record{"Zed", "h", 1, 2, "node3", ""}}), op_outcome::done);
  EXPECT_EQ(db.find_user("zed")->origin, "node3");
}

TEST_F(StorageDatabase, UpsertInsertsThenReplacesTheRowOfItsId) {
  auto r = room(1029, "den");
  EXPECT_EQ(one(upsert_room_op{r}), op_outcome::done);
  r.topic = "replicated topic";
  r.topic_ms = 500;
  EXPECT_EQ(one(upsert_room_op{r}), op_outcome::done);
  auto rooms = db.load_rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].topic, "replicated topic");
  EXPECT_EQ(rooms[0].topic_ms, 500);
  EXPECT_EQ(db.max_room_id(), 1029u);
}

TEST_F(StorageDatabase, UpsertOfANameAnotherRoomHasIsAConflictAndChangesNothing) {
  ASSERT_EQ(one(create_room_op{room(1, "den")}), op_outcome::done);
  EXPECT_EQ(one(upsert_room_op{room(2051, "DEN")}), op_outcome::conflict);
  auto rooms = db.load_rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].id, 1u) << "the room that had the name is still there";
}

TEST_F(StorageDatabase, DropOfAnUnknownIdLeavesATombstoneThatKeepsTheIdDead) {
  EXPECT_EQ(one(drop_room_op{3077, 10}), op_outcome::not_found);
  EXPECT_EQ(db.load_dropped_room_ids(), std::vector<uint64_t>{3077});
  EXPECT_EQ(db.max_room_id(), 3077u);
  EXPECT_EQ(one(upsert_room_op{room(3077, "back")}), op_outcome::conflict);
  EXPECT_EQ(one(create_room_op{room(3077, "back")}), op_outcome::conflict);
  EXPECT_TRUE(db.load_rooms().empty());
}

TEST_F(StorageDatabase, DroppedRoomIsTombstonedOnceAndItsNameIsFree) {
  ASSERT_EQ(one(create_room_op{room(1029, "den")}), op_outcome::done);
  EXPECT_EQ(one(drop_room_op{1029, 10}), op_outcome::done);
  EXPECT_EQ(one(drop_room_op{1029, 11}), op_outcome::not_found);
  EXPECT_EQ(db.load_dropped_room_ids(), std::vector<uint64_t>{1029});
  EXPECT_EQ(one(upsert_room_op{room(2053, "den")}), op_outcome::done) << "the name is free again";
}

TEST_F(StorageDatabase, UsersLoadInFoldedNickOrderWithEveryField) {
  ASSERT_EQ(db.apply({put_user_op{user_record{"bob", "h2", 3, 4, "b", "Europe/Berlin"}},
                      put_user_op{user_record{"Ann", "h1", 1, 2, "a", ""}}}),
            (std::vector<op_outcome>{op_outcome::done, op_outcome::done}));
  auto users = db.load_users();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].nick, "Ann");
  EXPECT_EQ(users[0].password_hash, "h1");
  EXPECT_EQ(users[0].created_ms, 1);
  EXPECT_EQ(users[0].last_login_ms, 2);
  EXPECT_EQ(users[0].origin, "a");
  EXPECT_EQ(users[0].time_zone, "");
  EXPECT_EQ(users[1].nick, "bob");
  EXPECT_EQ(users[1].time_zone, "Europe/Berlin");
  EXPECT_EQ(db.find_user("BOB")->time_zone, "Europe/Berlin");
}

}  // namespace
}  // namespace chat::storage::test
