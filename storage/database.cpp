#include "storage/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

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

void create_parent_folder(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) fail_open(path, "cannot create folder " + parent.string() + ": " + ec.message());
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
  op_outcome run(const set_topic_op& op);
  op_outcome run(const drop_room_op& op);
  op_outcome run(const put_user_op& op);
  op_outcome run(const touch_login_op& op);

  SQLite::Statement savepoint_, release_, rollback_to_;
  SQLite::Statement insert_room_, bump_max_room_id_, set_topic_, drop_room_;
  SQLite::Statement put_user_, touch_login_, find_user_;
};

database::statements::statements(SQLite::Database& db)
    : savepoint_{db, "SAVEPOINT op"},
      release_{db, "RELEASE op"},
      rollback_to_{db, "ROLLBACK TO op"},
      insert_room_{db,
                   "INSERT INTO rooms (id, name, name_key, topic, owner, created_ms) "
                   "VALUES (?, ?, ?, ?, ?, ?)"},
      bump_max_room_id_{db, "UPDATE counters SET value = max(value, ?) WHERE name = 'max_room_id'"},
      set_topic_{db, "UPDATE rooms SET topic = ? WHERE id = ?"},
      drop_room_{db, "DELETE FROM rooms WHERE id = ?"},
      put_user_{db,
                "INSERT OR REPLACE INTO users "
                "(nick_key, nick, password_hash, created_ms, last_login_ms) "
                "VALUES (?, ?, ?, ?, ?)"},
      touch_login_{db, "UPDATE users SET last_login_ms = ? WHERE nick_key = ?"},
      find_user_{db,
                 "SELECT nick, password_hash, created_ms, last_login_ms "
                 "FROM users WHERE nick_key = ?"} {}

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
  if (outcome != op_outcome::done) ready(rollback_to_).exec();
  ready(release_).exec();
  return outcome;
}

// A UNIQUE violation (id or folded name taken) throws SQLITE_CONSTRAINT.
op_outcome database::statements::run(const create_room_op& op) {
  auto& insert = ready(insert_room_);
  insert.bind(1, as_sql(op.room.id));
  insert.bind(2, op.room.name);
  insert.bind(3, fold_name(op.room.name));
  insert.bind(4, op.room.topic);
  insert.bind(5, op.room.owner);
  insert.bind(6, op.room.created_ms);
  insert.exec();
  auto& bump = ready(bump_max_room_id_);
  bump.bind(1, as_sql(op.room.id));
  bump.exec();
  return op_outcome::done;
}

op_outcome database::statements::run(const set_topic_op& op) {
  auto& update = ready(set_topic_);
  update.bind(1, op.topic);
  update.bind(2, as_sql(op.id));
  return changed(update.exec());
}

op_outcome database::statements::run(const drop_room_op& op) {
  auto& remove = ready(drop_room_);
  remove.bind(1, as_sql(op.id));
  return changed(remove.exec());
}

op_outcome database::statements::run(const put_user_op& op) {
  auto& put = ready(put_user_);
  put.bind(1, fold_name(op.user.nick));
  put.bind(2, op.user.nick);
  put.bind(3, op.user.password_hash);
  put.bind(4, op.user.created_ms);
  put.bind(5, op.user.last_login_ms);
  put.exec();
  return op_outcome::done;
}

op_outcome database::statements::run(const touch_login_op& op) {
  auto& touch = ready(touch_login_);
  touch.bind(1, op.ts_ms);
  touch.bind(2, fold_name(op.nick));
  return changed(touch.exec());
}

std::optional<user_record> database::statements::find_user(std::string_view nick) {
  auto& query = ready(find_user_);
  query.bind(1, fold_name(nick));
  if (!query.executeStep()) return std::nullopt;
  user_record user{query.getColumn(0).getString(), query.getColumn(1).getString(),
                   query.getColumn(2).getInt64(), query.getColumn(3).getInt64()};
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
  create_parent_folder(path);
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
                            "SELECT id, name, topic, owner, created_ms FROM rooms ORDER BY id"};
    while (query.executeStep()) {
      rooms.push_back(room_record{static_cast<uint64_t>(query.getColumn(0).getInt64()),
                                  query.getColumn(1).getString(), query.getColumn(2).getString(),
                                  query.getColumn(3).getString(), query.getColumn(4).getInt64()});
    }
    return rooms;
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
