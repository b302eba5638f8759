// One chatd process per database. Two processes on one file would each keep
// their own in-memory directory of rooms and users and drift apart (one
// lists a room the other refuses to create), so the second must not start.
//
// The lock is an open-file-description lock (F_OFD_SETLK) on `<db>.lock`
// beside the database: the kernel drops it when the holder dies, even by
// kill -9, so a crash never leaves a stale lock behind. It is separate from
// SQLite's own locks on purpose: an operator's sqlite3 shell or a backup may
// still read the database while chatd runs. The holder writes its pid into
// the file so that a refused process can name it.
//
// Owned by main(); lives as long as the process serves. Not thread-safe.
#pragma once

#include <string>

#include "storage/database.hpp"

namespace chat::storage {

class database_lock {
 public:
  // Takes the lock for `db_path` (creating `<db_path>.lock`, mode 0600). Throws
  // database_error naming the database and, when known, the holder's pid.
  explicit database_lock(const std::string& db_path);
  ~database_lock();
  database_lock(const database_lock&) = delete;
  database_lock& operator=(const database_lock&) = delete;

  const std::string& lock_path() const { return lock_path_; }

 private:
  std::string lock_path_;
  int fd_ = -1;
};

}  // namespace chat::storage
