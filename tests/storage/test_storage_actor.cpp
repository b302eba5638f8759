// The storage actor in a real actor system: every request, many senders at
// once, writes batched into few transactions, acknowledged writes readable by
// another connection, and failures answered without stopping the actor.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <caf/all.hpp>
#include <chrono>
#include <cstdio>
#include <thread>
#include <type_traits>
#include <vector>

#include "actors/chat_error.hpp"
#include "storage/storage_actor.hpp"
#include "temp_folder.hpp"

namespace chat::storage::test {
namespace {

using namespace std::chrono_literals;

// Generous: a reply may wait out SQLite's 2 s busy timeout on a locked file.
constexpr auto reply_timeout = 30s;

struct storage_config : caf::actor_system_config {
  storage_config() { register_storage_messages(*this); }
};

room_record room(uint64_t id) {
  return room_record{id, "room" + std::to_string(id), "", "ann", 1, "", 0};
}

using write_handle = decltype(std::declval<caf::scoped_actor&>()->request(
    std::declval<storage_actor&>(), reply_timeout, create_room_op{}));

// The handle is typed: a request the storage actor does not take does not
// compile, its private "commit now" message included.
template <class Msg, class = void>
struct accepts : std::false_type {};
template <class Msg>
struct accepts<Msg, std::void_t<decltype(std::declval<caf::scoped_actor&>()->request(
                        std::declval<storage_actor&>(), reply_timeout, std::declval<Msg>()))>>
    : std::true_type {};
static_assert(accepts<create_room_op>::value && accepts<find_user_request>::value);
static_assert(!accepts<std::string>::value && !accepts<write_done>::value);
static_assert(!accepts<caf::atom_constant<caf::atom("st_flush")>>::value);

struct StorageActor : ::testing::Test {
  temp_folder dir;
  std::string path = dir.file("chat.db");
  storage_config cfg;
  caf::actor_system sys{cfg};
  storage_actor store = spawn_storage(sys, std::make_unique<database>(path));
  caf::scoped_actor self{sys};

  ~StorageActor() override { self->send_exit(store, caf::exit_reason::user_shutdown); }

  // "ok", the protocol error's name, or CAF's own error (a test failure).
  std::string describe(const caf::error& err) {
    if (err.category() == chat_error_category)
      return std::string{error_code_name(to_error_code(err))};
    return "caf error: " + sys.render(err);
  }

  std::string wait(write_handle handle) {
    std::string outcome;
    handle.receive([&](write_done) { outcome = "ok"; },
                   [&](caf::error& err) { outcome = describe(err); });
    return outcome;
  }

  template <class Op>
  std::string write(Op op) {
    return wait(self->request(store, reply_timeout, std::move(op)));
  }

  find_user_reply find(const std::string& nick) {
    find_user_reply reply;
    self->request(store, reply_timeout, find_user_request{nick})
        .receive([&](const find_user_reply& r) { reply = r; },
                 [&](caf::error& err) { ADD_FAILURE() << describe(err); });
    return reply;
  }

  storage_stats stats() {
    storage_stats result;
    self->request(store, reply_timeout, storage_stats_request{})
        .receive([&](const storage_stats& s) { result = s; },
                 [&](caf::error& err) { ADD_FAILURE() << describe(err); });
    return result;
  }

  // Sends creations for ids first..first+count-1 without waiting for replies.
  std::vector<write_handle> send_creates(caf::scoped_actor& sender, uint64_t first,
                                         uint64_t count) {
    std::vector<write_handle> handles;
    handles.reserve(count);
    for (auto id = first; id < first + count; ++id)
      handles.push_back(sender->request(store, reply_timeout, create_room_op{room(id)}));
    return handles;
  }

  std::size_t count_ok(std::vector<write_handle>& handles) {
    std::size_t ok = 0;
    for (auto& h : handles) ok += wait(h) == "ok";
    return ok;
  }

  std::size_t rooms_on_disk() { return database{path}.load_rooms().size(); }
};

TEST_F(StorageActor, EveryRoomOperation) {
  EXPECT_EQ(write(create_room_op{room(1)}), "ok");
  EXPECT_EQ(write(create_room_op{room(1)}), "room_exists");
  EXPECT_EQ(write(set_topic_op{1, "hello"}), "ok");
  EXPECT_EQ(write(set_topic_op{2, "hello"}), "no_such_room");
  EXPECT_EQ(write(drop_room_op{2}), "no_such_room");
  EXPECT_EQ(write(create_room_op{room(2)}), "room_exists") << "a dropped id never comes back";
  EXPECT_EQ(write(create_room_op{room(3)}), "ok");
  EXPECT_EQ(write(drop_room_op{3}), "ok");
  EXPECT_EQ(write(upsert_room_op{room(4)}), "ok");
  database other{path};
  auto rooms = other.load_rooms();
  ASSERT_EQ(rooms.size(), 2u);
  EXPECT_EQ(rooms[0].topic, "hello");
  EXPECT_EQ(rooms[1].id, 4u);
  EXPECT_EQ(other.max_room_id(), 4u);
}

TEST_F(StorageActor, EveryUserOperation) {
  EXPECT_FALSE(find("Ann").found);
  EXPECT_EQ(write(put_user_op{user_record{"Ann", "hash", 5, 6, "", ""}}), "ok");
  auto reply = find("ANN");
  ASSERT_TRUE(reply.found);
  EXPECT_EQ(reply.user.nick, "Ann");
  EXPECT_EQ(reply.user.password_hash, "hash");
  EXPECT_EQ(write(touch_login_op{"ann", 77}), "ok");
  EXPECT_EQ(find("ann").user.last_login_ms, 77);
  EXPECT_EQ(write(touch_login_op{"nobody", 77}), "no_such_user");
}

TEST_F(StorageActor, AcknowledgedWriteIsReadableFromAnotherConnection) {
  for (uint64_t id = 1; id <= 20; ++id) {
    ASSERT_EQ(write(create_room_op{room(id)}), "ok");
    ASSERT_EQ(rooms_on_disk(), id);  // committed before the reply, not after
  }
}

TEST_F(StorageActor, ConcurrentCreatesFromSeveralActorsAllCommit) {
  constexpr uint64_t senders = 4, per_sender = 50;
  std::atomic<std::size_t> ok{0};
  std::vector<std::thread> threads;
  for (uint64_t s = 0; s < senders; ++s)
    threads.emplace_back([&, s] {
      caf::scoped_actor sender{sys};
      auto handles = send_creates(sender, 1 + s * per_sender, per_sender);
      ok += count_ok(handles);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), senders * per_sender);
  EXPECT_EQ(rooms_on_disk(), senders * per_sender);
}

TEST_F(StorageActor, QueuedWritesShareOneTransaction) {
  auto before = stats();
  std::vector<write_handle> handles;
  {
    // While another connection holds the write lock, the first flush waits in
    // SQLite's busy handler and every later request piles up behind it; they
    // can only be committed by the one flush queued after all of them.
    SQLite::Database other{path, SQLite::OPEN_READWRITE};
    other.exec("BEGIN IMMEDIATE");
    handles = send_creates(self, 1, 500);
    other.exec("ROLLBACK");
  }
  EXPECT_EQ(count_ok(handles), 500u);
  auto after = stats();
  EXPECT_EQ(after.ops - before.ops, 500u);
  EXPECT_LE(after.batches - before.batches, 2u);
  EXPECT_EQ(after.failed_batches, 0u);
}

TEST_F(StorageActor, ConflictInABatchFailsAlone) {
  std::vector<write_handle> handles;
  {
    SQLite::Database other{path, SQLite::OPEN_READWRITE};
    other.exec("BEGIN IMMEDIATE");  // keeps the requests together in one batch
    handles.push_back(self->request(store, reply_timeout, create_room_op{room(1)}));
    handles.push_back(self->request(store, reply_timeout, create_room_op{room(2)}));
    handles.push_back(self->request(store, reply_timeout,
                                    create_room_op{room_record{3, "ROOM2", "", "", 1, "", 0}}));
    handles.push_back(self->request(store, reply_timeout, create_room_op{room(4)}));
    other.exec("ROLLBACK");
  }
  EXPECT_EQ(wait(handles[0]), "ok");
  EXPECT_EQ(wait(handles[1]), "ok");
  EXPECT_EQ(wait(handles[2]), "room_exists");
  EXPECT_EQ(wait(handles[3]), "ok");
  EXPECT_EQ(rooms_on_disk(), 3u);
}

TEST_F(StorageActor, LockedFileAnswersUnavailableAndActorKeepsWorking) {
  {
    SQLite::Database other{path, SQLite::OPEN_READWRITE};
    other.exec("BEGIN IMMEDIATE");
    EXPECT_EQ(write(create_room_op{room(1)}), "unavailable");  // after the 2 s busy timeout
    other.exec("ROLLBACK");
  }
  EXPECT_EQ(stats().failed_batches, 1u);
  EXPECT_EQ(rooms_on_disk(), 0u);
  EXPECT_EQ(write(create_room_op{room(1)}), "ok");
}

TEST_F(StorageActor, ExitCommitsWritesAlreadyReceived) {
  self->monitor(store);
  auto handles = send_creates(self, 1, 100);
  self->send_exit(store, caf::exit_reason::user_shutdown);  // queued behind the writes
  EXPECT_EQ(count_ok(handles), 100u);
  self->receive([](const caf::down_msg&) {});
  EXPECT_EQ(rooms_on_disk(), 100u);
}

// Prints the figure asked for in the storage issue: acknowledged creations per
// second when 10,000 are sent at once.
TEST_F(StorageActor, ThroughputOf10000QueuedCreates) {
  constexpr uint64_t count = 10000;
  auto start = std::chrono::steady_clock::now();
  auto handles = send_creates(self, 1, count);
  auto ok = count_ok(handles);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  auto s = stats();
  EXPECT_EQ(ok, count);
  std::printf("storage actor: %llu creates acknowledged in %.3f s = %.0f/s, %llu transactions\n",
              static_cast<unsigned long long>(count), took.count(), count / took.count(),
              static_cast<unsigned long long>(s.batches));
  RecordProperty("creates_per_second", static_cast<int>(count / took.count()));
  EXPECT_EQ(rooms_on_disk(), count);
}

}  // namespace
}  // namespace chat::storage::test
