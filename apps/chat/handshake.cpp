#include "apps/chat/handshake.hpp"

#include "apps/chat/display_text.hpp"

namespace chat::client {

namespace {

bool is_reply(const nlohmann::json& obj) {
  const std::string type = field_text(obj, "type");
  return type == "ok" || type == "error";
}

bool is_ok(const nlohmann::json& obj) {
  return field_text(obj, "type") == "ok";
}

}  // namespace

handshake::handshake(login_plan plan) : plan_(std::move(plan)) {}

std::vector<std::string> handshake::start() {
  state_ = handshake_state::mode;
  return {"/mode json"};
}

handshake_step handshake::on_line(std::string_view line) {
  handshake_step step;
  auto obj = nlohmann::json::parse(line, nullptr, false);
  if (obj.is_discarded() || !obj.is_object()) return step;  // the banner, in text
  if (state_ == handshake_state::mode && !is_reply(obj)) return step;
  step.object = std::move(obj);
  if (!is_reply(step.object)) {
    step.what = handshake_step::kind::event;
    return step;
  }
  step.what = handshake_step::kind::reply;
  on_reply(step.object, step.send);
  return step;
}

void handshake::on_reply(const nlohmann::json& reply, std::vector<std::string>& send) {
  switch (state_) {
    case handshake_state::mode:
      if (!is_ok(reply) || field_text(reply, "mode") != "json") return fail(reply);
      send = after_mode();
      return;
    case handshake_state::login:
      if (is_ok(reply)) {
        nick_ = field_text(reply, "nick");
        if (nick_.empty()) nick_ = plan_.nick;
        registered_ = field_flag(reply, "registered");
        send = after_login();
      } else if (field_text(reply, "code") == "auth_required" && plan_.password.empty()) {
        state_ = handshake_state::need_password;
      } else {
        fail(reply);
      }
      return;
    case handshake_state::join:
      if (is_ok(reply)) {
        room_ = field_text(reply, "room");
        if (room_.empty()) room_ = plan_.room;
      } else {
        join_error_ = reply;
      }
      send = after_join();
      return;
    case handshake_state::learn:
      if (--learn_replies_left_ <= 0) state_ = handshake_state::done;
      return;
    case handshake_state::need_password:
    case handshake_state::done:
    case handshake_state::failed:
      return;  // not ours: a reply to a line someone else sent
  }
}

std::vector<std::string> handshake::give_password(std::string password) {
  plan_.password = std::move(password);
  state_ = handshake_state::login;
  return login_line();
}

std::vector<std::string> handshake::login_line() const {
  std::string line = "/login " + plan_.nick;
  if (!plan_.password.empty()) line += " " + plan_.password;
  return {line};
}

std::vector<std::string> handshake::after_mode() {
  if (plan_.nick.empty()) {
    state_ = handshake_state::done;
    return {};
  }
  state_ = handshake_state::login;
  return login_line();
}

std::vector<std::string> handshake::after_login() {
  if (plan_.room.empty()) return after_join();
  state_ = handshake_state::join;
  return {"/join " + plan_.room};
}

std::vector<std::string> handshake::after_join() {
  if (!plan_.learn_names) {
    state_ = handshake_state::done;
    return {};
  }
  state_ = handshake_state::learn;
  learn_replies_left_ = 2;
  return {"/help", "/rooms"};
}

std::string handshake::failure_message() const {
  const std::string nick = terminal_safe(plan_.nick);
  if (state_ == handshake_state::need_password || failure_code_ == "auth_required") {
    return nick + " is registered: its password is needed";
  }
  if (failure_code_ == "bad_password") return "wrong password for " + nick;
  if (failure_code_ == "nick_taken") return nick + " is already online; choose another nick";
  if (failure_code_ == "invalid_name")
    return "not a valid nick: " + nick + " (" + failure_text_ + ")";
  return failure_text_;
}

void handshake::fail(const nlohmann::json& error) {
  state_ = handshake_state::failed;
  failure_code_ = field_text(error, "code");
  failure_text_ = field_text(error, "text");
  if (failure_code_.empty()) {
    failure_code_ = "protocol";
    failure_text_ = "unexpected reply from the server: " + terminal_safe(error.dump());
  }
  if (failure_text_.empty()) failure_text_ = readable_code(failure_code_);
}

}  // namespace chat::client
