// What chatd leaves on disk beside its data: one process per database (a lock
// file naming the holder) and files only their owner may read, since the
// database holds password hashes.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "storage/database.hpp"
#include "storage/database_lock.hpp"
#include "temp_folder.hpp"

namespace chat::storage::test {
namespace {

unsigned mode_of(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

std::string lock_error(const std::string& db_path) {
  try {
    database_lock second{db_path};
  } catch (const database_error& e) {
    return e.what();
  }
  return "(no error)";
}

// OFD locks conflict between two open files even inside one process, so the
// second chatd is stood in for by a second lock here (tests/e2e has the real one).
TEST(StorageDatabaseLock, SecondLockOnOneDatabaseIsRefusedNamingFileAndPid) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  database_lock first{path};
  auto error = lock_error(path);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("in use by another chatd"), std::string::npos) << error;
  EXPECT_NE(error.find("(pid " + std::to_string(getpid()) + ")"), std::string::npos) << error;
}

TEST(StorageDatabaseLock, LockIsFreeAgainOnceTheHolderLetsGo) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  { database_lock first{path}; }
  EXPECT_NO_THROW(database_lock{path});
}

TEST(StorageDatabaseLock, OtherDatabasesInOneFolderDoNotConflict) {
  temp_folder dir;
  database_lock a{dir.file("a.db")};
  EXPECT_NO_THROW(database_lock{dir.file("b.db")});
}

TEST(StorageDatabaseFiles, DatabaseWalShmAndLockAreOwnerOnly) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  database_lock lock{path};
  database db{path};
  db.apply({put_user_op{user_record{"ann", "hash", 1, 1, "", ""}}});  // the WAL has content
  for (auto* suffix : {"", "-wal", "-shm", ".lock"})
    EXPECT_EQ(mode_of(path + suffix), 0600u) << path + suffix;
}

TEST(StorageDatabaseFiles, FoldersChatdCreatesAreOwnerOnly) {
  temp_folder dir;
  auto path = dir.file("var/lib/chatd/chat.db");
  database db{path};
  for (auto* folder : {"var", "var/lib", "var/lib/chatd"})
    EXPECT_EQ(mode_of(dir.file(folder)), 0700u) << folder;
  EXPECT_EQ(mode_of(path), 0600u);
}

TEST(StorageDatabaseFiles, ExistingFolderAndFileKeepTheirModes) {
  temp_folder dir;
  auto path = dir.file("chat.db");
  chmod(dir.path().c_str(), 0755);
  { database db{path}; }
  chmod(path.c_str(), 0640);
  { database db{path}; }
  EXPECT_EQ(mode_of(dir.path()), 0755u);
  EXPECT_EQ(mode_of(path), 0640u);
}

}  // namespace
}  // namespace chat::storage::test
