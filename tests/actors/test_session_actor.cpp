// The session actor on CAF's deterministic test scheduler, with virtual time
// and a stand-in lobby whose answers the test releases (issue 13, items 5 and
// 8): a change is answered with its true outcome however late the lobby
// answers, a question gives up at the request timeout, and a line typed while
// a command waits is run after it, in order.
#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "actors/session.hpp"
#include "net/messages.hpp"

namespace chat {
namespace {

using namespace std::chrono_literals;

struct config : caf::actor_system_config {
  config() {
    register_actor_messages(*this);
    net::register_net_messages(*this);
    set("scheduler.policy", caf::atom("testing"));
    set("logger.inline-output", true);
  }
};

using release_atom = caf::atom_constant<caf::atom("t_release")>;

// What the stand-in lobby was asked and has not answered yet.
struct held_requests {
  std::vector<std::pair<login_request, caf::response_promise>> logins;
  std::vector<std::pair<create_room, caf::response_promise>> creates;
  int who = 0;  // who_requests seen (never answered)
};

// A lobby that answers the banner at once and holds logins and creations
// until the test sends release_atom; /who it never answers.
caf::behavior stand_in_lobby(caf::event_based_actor* self, std::shared_ptr<held_requests> held) {
  return {
      [](const welcome_request&) { return welcome_info{}; },
      [=](const login_request& req) {
        auto promise = self->make_response_promise();
        held->logins.emplace_back(req, promise);
        return promise;
      },
      [=](const create_room& req) {
        auto promise = self->make_response_promise();
        held->creates.emplace_back(req, promise);
        return promise;
      },
      [=](const who_request&) {
        ++held->who;
        return self->make_response_promise();  // never delivered
      },
      [=](release_atom) {
        for (auto& [req, promise] : held->logins)
          promise.deliver(login_reply{req.nick, false, "", {}});
        for (auto& [req, promise] : held->creates)
          promise.deliver(room_info{2051, req.name, req.topic, req.owner, 0, {}});
        held->logins.clear();
        held->creates.clear();
      },
      [](const logout&) {},
  };
}

class SessionActor : public ::testing::Test {
 protected:
  config cfg;
  caf::actor_system sys{cfg};
  caf::scheduler::test_coordinator& sched =
      dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  caf::scoped_actor gateway{sys, true};
  std::shared_ptr<held_requests> held = std::make_shared<held_requests>();
  caf::actor lobby;
  caf::actor session;

  void SetUp() override {
    auto s = std::make_shared<settings>();
    s->request_timeout = 1000ms;
    lobby = sys.spawn(stand_in_lobby, held);
    session = spawn_session(sys, caf::actor_cast<caf::actor>(gateway), 7, "192.0.2.1", lobby, s);
    sched.run();
    output();  // the banner
  }
  void TearDown() override {
    caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(lobby, caf::exit_reason::user_shutdown);
    sched.run();
  }

  void type(std::vector<std::string> lines) {
    net::client_lines batch;
    for (auto& line : lines) batch.lines.push_back({line, net::line_status::ok});
    batch.arrived_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now().time_since_epoch())
                           .count();
    caf::anon_send(session, std::move(batch));
    sched.run();
  }

  // Everything the session wrote to its client so far.
  std::string output() {
    std::string all;
    bool more = true;
    while (more)
      gateway->receive([&](net::client_output& out) { all += out.bytes; },
                       [](const net::client_mode&) {}, [](const net::client_logged_in&) {},
                       caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
    return all;
  }
};

TEST_F(SessionActor, AChangeAnsweredLateIsAnsweredWithItsOutcomeNotUnavailable) {
  type({"/mode json", "/login alice"});
  ASSERT_EQ(held->logins.size(), 1u);
  EXPECT_NE(held->logins[0].first.due.steady_ns, 0) << "a login carries its deadline";
  output();
  sched.advance_time(5s);  // far past the 1 s request timeout
  sched.run();
  EXPECT_EQ(output(), "") << "nothing may be said before the lobby answers";
  anon_send(lobby, release_atom::value);
  sched.run();
  auto said = output();
  EXPECT_NE(said.find(R"("type":"ok","cmd":"login")"), std::string::npos) << said;
  EXPECT_EQ(said.find("unavailable"), std::string::npos) << said;
}

TEST_F(SessionActor, AQuestionGivesUpAtTheRequestTimeout) {
  type({"/mode json", "/login alice"});
  anon_send(lobby, release_atom::value);
  sched.run();
  output();
  type({"/who"});
  ASSERT_EQ(held->who, 1);
  sched.advance_time(1500ms);
  sched.run();
  auto said = output();
  EXPECT_NE(said.find(R"("code":"unavailable")"), std::string::npos) << said;
}

TEST_F(SessionActor, LinesTypedWhileACommandWaitsRunAfterItInOrder) {
  type({"/mode json", "/login alice"});
  anon_send(lobby, release_atom::value);
  sched.run();
  output();
  type({"/create first", "/create second"});
  ASSERT_EQ(held->creates.size(), 1u) << "the second waits for the first";
  EXPECT_EQ(held->creates[0].first.name, "first");
  anon_send(lobby, release_atom::value);
  sched.run();
  ASSERT_EQ(held->creates.size(), 1u);
  EXPECT_EQ(held->creates[0].first.name, "second");
}

}  // namespace
}  // namespace chat
