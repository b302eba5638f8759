#include "storage/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <variant>

#include "actors/names.hpp"
#include "storage/migrations.hpp"

namespace chat::storage {
namespace {

// Short enough that a request waiting on a lock held by another process (a
// backup, an operator's sqlite3 shell) fails well inside the actors' request
// timeouts and is answered `unavailable` instead of hanging.
constexpr int busy_timeout_ms = 2000;

[[noreturn]] void fail_open(const std::string& path, const std::string& why) {
  throw database_error("cannot open database " + path + ": " + why);
}

}  // namespace

// Folders one at a time, so that only those created here get 0700.
void create_database_folders(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::filesystem::path partial;
  for (auto& part : parent) {
    partial /= part;
    if (mkdir(partial.c_str(), 0700) == 0) continue;
    auto error = errno;
    if (error == EEXIST && std::filesystem::is_directory(partial)) continue;
    if (error == EEXIST) error = ENOTDIR;  // a file stands where the folder should be
    fail_open(path, "cannot create folder " + partial.string() + ": " + std::strerror(error));
  }
}

namespace {

// The database holds password hashes: a folder chatd creates is 0700, a
// database file it creates 0600. SQLite gives the WAL and SHM files the
// permissions of the database file, so they are 0600 too. Folders and files
// that exist already keep theirs (an operator may have chosen them).
void create_private_file(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0)
    close(fd);
  else if (errno != EEXIST)
    fail_open(path, std::strerror(errno));
}

// Refuses a file written by a newer release before anything is written to it,
// so that an accidental downgrade leaves the data for the newer chatd intact.
void check_not_newer(const std::string& path, int version) {
  if (version <= database::current_schema_version) return;
  throw database_error("database " + path + ": schema version " + std::to_string(version) +
                       " is newer than this chatd supports (" +
                       std::to_string(database::current_schema_version) + "); upgrade chatd");
}

// WAL lets readers run beside the writer; synchronous=FULL syncs the WAL on
// every commit, so an acknowledged write survives kill -9 and power loss.
void set_durability(SQLite::Database& db, const std::string& path) {
  auto mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal") fail_open(path, "cannot switch to WAL mode (journal mode is " + mode + ")");
  db.exec("PRAGMA synchronous = FULL");
}

void check_writable(SQLite::Database& db, const std::string& path) {
  // SQLite quietly falls back to read-only when the file's permissions deny
  // writing; we would only find out at the first write, after acknowledging.
  if (sqlite3_db_readonly(db.getHandle(), "main") == 1) fail_open(path, "file is read-only");
}

std::unique_ptr<SQLite::Database> open_file(const std::string& path) {
  auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                               busy_timeout_ms);
  // Reading the schema makes SQLite check the file header: a file that is not
  // a database fails here, before we touch it.
  db->execAndGet("SELECT count(*) FROM sqlite_master");
  check_not_newer(path, read_schema_version(*db));
  check_writable(*db, path);
  set_durability(*db, path);
  apply_migrations(*db, schema_migrations());
  return db;
}

void rollback_quietly(SQLite::Database& db) {
  if (sqlite3_get_autocommit(db.getHandle())) return;  // SQLite already rolled back
  try {
    db.exec("ROLLBACK");
  } catch (const SQLite::Exception&) {
    // Nothing more to undo; the caller reports the original failure.
  }
}

int64_t as_sql(uint64_t id) {
  return static_cast<int64_t>(id);
}

// A cached statement, ready for new bindings. tryReset, not reset: reset
// rethrows the error of the statement's last run (a UNIQUE violation).
SQLite::Statement& ready(SQLite::Statement& statement) {
  statement.tryReset();
  return statement;
}

op_outcome changed(int rows) {
  return rows > 0 ? op_outcome::done : op_outcome::not_found;
}

}  // namespace

// The statements of the write path and of login look-ups, prepared once:
// preparing costs several times more than running them.
struct database::statements {
  explicit statements(SQLite::Database& db);
  op_outcome apply_one(const write_op& op);
  std::optional<user_record> find_user(std::string_view nick);

 private:
  op_outcome run(const create_room_op& op);
  op_outcome run(const upsert_room_op& op);
  op_outcome run(const set_topic_op& op);
  op_outcome run(const drop_room_op& op);
  op_outcome run(const put_user_op& op);
  op_outcome run(const touch_login_op& op);
  op_outcome run(const delete_user_op& op);

  SQLite::Statement savepoint_, release_, rollback_to_;
  bool is_dropped(uint64_t id);
  void bump_max_room_id(uint64_t id);
  void write_room(SQLite::Statement& statement, const room_record& room);

  SQLite::Statement insert_room_, replace_room_, is_dropped_, bump_max_room_id_, set_topic_;
  SQLite::Statement drop_room_, add_tombstone_;
  SQLite::Statement put_user_, touch_login_, delete_user_, find_user_, name_owner_;
};

database::statements::statements(SQLite::Database& db)
    : savepoint_{db, "SAVEPOINT op"},
      release_{db, "RELEASE op"},
      rollback_to_{db, "ROLLBACK TO op"},
      insert_room_{db,
                   "INSERT INTO rooms (id, name, name_key, topic, owner, created_ms, origin, "
                   "topic_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"},
      // REPLACE deletes the row of the same id first; another room's name
      // still fails the UNIQUE name_key (REPLACE would delete that room too,
      // so the name is checked before: see run(upsert_room_op)).
      replace_room_{db,
                    "INSERT OR REPLACE INTO rooms (id, name, name_key, topic, owner, created_ms, "
                    "origin, topic_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"},
      is_dropped_{db, "SELECT 1 FROM dropped_rooms WHERE id = ?"},
      bump_max_room_id_{db, "UPDATE counters SET value = max(value, ?) WHERE name = 'max_room_id'"},
      set_topic_{db, "UPDATE rooms SET topic = ?, topic_ms = ? WHERE id = ?"},
      drop_room_{db, "DELETE FROM rooms WHERE id = ?"},
      add_tombstone_{db, "INSERT OR IGNORE INTO dropped_rooms (id, dropped_ms) VALUES (?, ?)"},
      put_user_{db,
                "INSERT OR REPLACE INTO users "
                "(nick_key, nick, password_hash, created_ms, last_login_ms, origin, time_zone) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)"},
      touch_login_{db, "UPDATE users SET last_login_ms = ? WHERE nick_key = ?"},
      delete_user_{db, "DELETE FROM users WHERE nick_key = ? AND created_ms = ? AND origin = ?"},
      find_user_{db,
                 "SELECT nick, password_hash, created_ms, last_login_ms, origin, time_zone "
                 "FROM users WHERE nick_key = ?"},
      name_owner_{db, "SELECT id FROM rooms WHERE name_key = ?"} {}

// Runs one operation inside its own savepoint, so that an operation that fails
// (a name already taken) is undone alone and the rest of the batch commits.
op_outcome database::statements::apply_one(const write_op& op) {
  ready(savepoint_).exec();
  auto outcome = op_outcome::conflict;
  try {
    outcome = std::visit([this](auto& x) { return run(x); }, op);
  } catch (const SQLite::Exception& e) {
    // Anything but a constraint (disk full, I/O error) fails the whole batch.
    if (e.getErrorCode() != SQLITE_CONSTRAINT) throw;
  }
  // not_found changed nothing, except a drop's tombstone, which must stay.
  if (outcome == op_outcome::conflict) ready(rollback_to_).exec();
  ready(release_).exec();
  return outcome;
}

bool database::statements::is_dropped(uint64_t id) {
  auto& query = ready(is_dropped_);
  query.bind(1, as_sql(id));
  bool dropped = query.executeStep();
  query.tryReset();
  return dropped;
}

void database::statements::bump_max_room_id(uint64_t id) {
  auto& bump = ready(bump_max_room_id_);
  bump.bind(1, as_sql(id));
  bump.exec();
}

void database::statements::write_room(SQLite::Statement& statement, const room_record& room) {
  auto& write = ready(statement);
  write.bind(1, as_sql(room.id));
  write.bind(2, room.name);
  write.bind(3, fold_name(room.name));
  write.bind(4, room.topic);
  write.bind(5, room.owner);
  write.bind(6, room.created_ms);
  write.bind(7, room.origin);
  write.bind(8, room.topic_ms);
  write.exec();
}

// A UNIQUE violation (id or folded name taken) throws SQLITE_CONSTRAINT.
op_outcome database::statements::run(const create_room_op& op) {
  if (is_dropped(op.room.id)) return op_outcome::conflict;
  write_room(insert_room_, op.room);
  bump_max_room_id(op.room.id);
  return op_outcome::done;
}

op_outcome database::statements::run(const upsert_room_op& op) {
  if (is_dropped(op.room.id)) return op_outcome::conflict;
  auto& owner = ready(name_owner_);
  owner.bind(1, fold_name(op.room.name));
  bool taken =
      owner.executeStep() && static_cast<uint64_t>(owner.getColumn(0).getInt64()) != op.room.id;
  owner.tryReset();
  if (taken) return op_outcome::conflict;
  write_room(replace_room_, op.room);
  bump_max_room_id(op.room.id);
  return op_outcome::done;
}

op_outcome database::statements::run(const set_topic_op& op) {
  auto& update = ready(set_topic_);
  update.bind(1, op.topic);
  update.bind(2, op.topic_ms);
  update.bind(3, as_sql(op.id));
  return changed(update.exec());
}

op_outcome database::statements::run(const drop_room_op& op) {
  auto& remove = ready(drop_room_);
  remove.bind(1, as_sql(op.id));
  auto outcome = changed(remove.exec());
  auto& tombstone = ready(add_tombstone_);
  tombstone.bind(1, as_sql(op.id));
  tombstone.bind(2, op.dropped_ms);
  tombstone.exec();
  bump_max_room_id(op.id);
  return outcome;
}

op_outcome database::statements::run(const put_user_op& op) {
  auto& put = ready(put_user_);
  put.bind(1, fold_name(op.user.nick));
  put.bind(2, op.user.nick);
  put.bind(3, op.user.password_hash);
  put.bind(4, op.user.created_ms);
  put.bind(5, op.user.last_login_ms);
  put.bind(6, op.user.origin);
  put.bind(7, op.user.time_zone);
  put.exec();
  return op_outcome::done;
}

op_outcome database::statements::run(const touch_login_op& op) {
  auto& touch = ready(touch_login_);
  touch.bind(1, op.ts_ms);
  touch.bind(2, fold_name(op.nick));
  return changed(touch.exec());
}

op_outcome database::statements::run(const delete_user_op& op) {
  auto& erase = ready(delete_user_);
  erase.bind(1, fold_name(op.nick));
  erase.bind(2, op.created_ms);
  erase.bind(3, op.origin);
  return changed(erase.exec());
}

std::optional<user_record> database::statements::find_user(std::string_view nick) {
  auto& query = ready(find_user_);
  query.bind(1, fold_name(nick));
  if (!query.executeStep()) return std::nullopt;
  user_record user{query.getColumn(0).getString(), query.getColumn(1).getString(),
                   query.getColumn(2).getInt64(),  query.getColumn(3).getInt64(),
                   query.getColumn(4).getString(), query.getColumn(5).getString()};
  // A statement left on a row keeps its read transaction (an old snapshot of
  // the WAL) open until its next reset: end it now.
  query.tryReset();
  return user;
}

namespace {

[[noreturn]] void fail_write(const SQLite::Exception& e) {
  throw database_error(std::string{"database write failed: "} + e.what());
}

[[noreturn]] void fail_read(const SQLite::Exception& e) {
  throw database_error(std::string{"database read failed: "} + e.what());
}

}  // namespace

database::database(const std::string& path) {
  create_database_folders(path);
  if (path != ":memory:") create_private_file(path);
  try {
    db_ = open_file(path);
    sql_ = std::make_unique<statements>(*db_);
  } catch (const SQLite::Exception& e) {
    fail_open(path, e.what());
  }
}

database::~database() = default;

int database::schema_version() const {
  try {
    return read_schema_version(*db_);
  } catch (const SQLite::Exception& e) {
    fail_read(e);
  }
}

std::vector<room_record> database::load_rooms() {
  try {
    std::vector<room_record> rooms;
    SQLite::Statement query{*db_,
                            "SELECT id, name, topic, owner, created_ms, origin, topic_ms "
                            "FROM rooms ORDER BY id"};
    while (query.executeStep()) {
      rooms.push_back(room_record{static_cast<uint64_t>(query.getColumn(0).getInt64()),
                                  query.getColumn(1).getString(), query.getColumn(2).getString(),
                                  query.getColumn(3).getString(), query.getColumn(4).getInt64(),
                                  query.getColumn(5).getString(), query.getColumn(6).getInt64()});
    }
    return rooms;
  } catch (const SQLite::Exception& e) {
    fail_read(e);
  }
}

std::vector<uint64_t> database::load_dropped_room_ids() {
  try {
    std::vector<uint64_t> ids;
    SQLite::Statement query{*db_, "SELECT id FROM dropped_rooms ORDER BY id"};
    while (query.executeStep()) ids.push_back(static_cast<uint64_t>(query.getColumn(0).getInt64()));
    return ids;
  } catch (const SQLite::Exception& e) {
    fail_read(e);
  }
}

std::vector<user_record> database::load_users() {
  try {
    std::vector<user_record> users;
    SQLite::Statement query{*db_,
                            "SELECT nick, password_hash, created_ms, last_login_ms, origin, "
                            "time_zone FROM users ORDER BY nick_key"};
    while (query.executeStep()) {
      users.push_back(user_record{query.getColumn(0).getString(), query.getColumn(1).getString(),
                                  query.getColumn(2).getInt64(), query.getColumn(3).getInt64(),
                                  query.getColumn(4).getString(), query.getColumn(5).getString()});
    }
    return users;
  } catch (const SQLite::Exception& e) {
    fail_read(e);
  }
}

uint64_t database::max_room_id() {
  try {
    // The rooms table is consulted too, in case a row was ever written without
    // its counter (by hand, or by a tool restoring a backup).
    SQLite::Statement query{*db_,
                            "SELECT max(value, (SELECT coalesce(max(id), 0) FROM rooms)) "
                            "FROM counters WHERE name = 'max_room_id'"};
    if (!query.executeStep()) return 0;
    return static_cast<uint64_t>(query.getColumn(0).getInt64());
  } catch (const SQLite::Exception& e) {
    fail_read(e);
  }
}

std::optional<user_record> database::find_user(std::string_view nick) {
  try {
    return sql_->find_user(nick);
  } catch (const SQLite::Exception& e) {
    fail_read(e);
  }
}

std::vector<op_outcome> database::apply(const std::vector<write_op>& ops) {
  std::vector<op_outcome> outcomes;
  outcomes.reserve(ops.size());
  try {
    // IMMEDIATE takes the write lock now, where the busy timeout applies,
    // rather than failing half-way through the batch on a lock upgrade.
    db_->exec("BEGIN IMMEDIATE");
  } catch (const SQLite::Exception& e) {
    fail_write(e);
  }
  try {
    for (auto& op : ops) outcomes.push_back(sql_->apply_one(op));
    db_->exec("COMMIT");
  } catch (const SQLite::Exception& e) {
    rollback_quietly(*db_);
    fail_write(e);
  }
  return outcomes;
}

}  // namespace chat::storage
