// The SQLite database of one node: schema, migrations, reads and batched writes.
// Owned by the storage actor (one thread); not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/records.hpp"

namespace SQLite {
class Database;
}

namespace chat::storage {

// Start-up failures (cannot open, not a SQLite file, schema from a newer
// release) and write failures (disk full, locked). what() is one clear line.
class database_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Creates the missing folders of `db_path`, each 0700 (the database holds
// password hashes). Throws database_error.
void create_database_folders(const std::string& db_path);

// The write operations; a batch of them commits in one transaction.
struct create_room_op {
  room_record room;
};
// A room replicated from a peer: inserted, or replacing the row of its id.
// A conflict if another live room has its name, or its id was dropped.
struct upsert_room_op {
  room_record room;
};
struct set_topic_op {
  uint64_t id;
  std::string topic;
  int64_t topic_ms = 0;
};
// Deletes the room if present and always keeps its id as a tombstone (also
// for an id never seen here: a drop replicated from a peer), so that the room
// never comes back. not_found if there was no such room (the tombstone stays).
struct drop_room_op {
  uint64_t id;
  int64_t dropped_ms = 0;
};
struct put_user_op {
  user_record user;
};  // insert or replace (password change)
struct touch_login_op {
  std::string nick;
  int64_t ts_ms;
};
// Deletes one registration (an expired one, or the loser of two look-alike
// nicks): only the row of that registration (nick, created_ms and origin), so
// that a newer registration of the nick is never deleted by a late delete.
// not_found if there is no such row.
struct delete_user_op {
  std::string nick;
  int64_t created_ms = 0;
  std::string origin;
};
using write_op = std::variant<create_room_op, upsert_room_op, set_topic_op, drop_room_op,
                              put_user_op, touch_login_op, delete_user_op>;

// What happened to one operation of a batch.
enum class op_outcome : uint8_t { done, conflict, not_found };

class database {
 public:
  static constexpr int current_schema_version = 3;

  // Opens or creates the file (and its parent folder), turns on WAL, applies
  // the migrations the file lacks. Throws database_error.
  explicit database(const std::string& path);
  ~database();

  int schema_version() const;

  std::vector<room_record> load_rooms();
  // Ids of dropped rooms (tombstones), ascending.
  std::vector<uint64_t> load_dropped_room_ids();
  // Every registered user, by folded nick.
  std::vector<user_record> load_users();
  // The highest room id ever given out (dropped rooms included), 0 if none.
  uint64_t max_room_id();
  // Users are found case-insensitively by their folded nick.
  std::optional<user_record> find_user(std::string_view nick);

  // Applies every operation in one transaction. Each operation gets its own
  // outcome (a conflict, such as a room name already taken, fails only that
  // operation). Throws database_error when the transaction cannot commit, in
  // which case nothing of the batch was written.
  std::vector<op_outcome> apply(const std::vector<write_op>& ops);

 private:
  struct statements;  // prepared once: preparing costs more than running them

  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<statements> sql_;  // declared after db_: finalized before it closes
};

}  // namespace chat::storage
