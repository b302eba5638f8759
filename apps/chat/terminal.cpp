#include "apps/chat/terminal.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

// readline.h needs stdio.h first.
#include <readline/history.h>
#include <readline/readline.h>

namespace chat::client {

namespace {

terminal* active = nullptr;  // readline's callbacks are plain functions

void print_plain(const std::vector<std::string>& lines) {
  for (const auto& line : lines) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  }
  std::fflush(stdout);
}

}  // namespace

terminal::terminal(line_handler on_line, completer complete)
    : on_line_(std::move(on_line)), complete_(std::move(complete)) {
  active = this;
  rl_readline_name = "chat";  // for "$if chat" in ~/.inputrc
  // The client's poll loop handles signals; readline must not install its own.
  rl_catch_signals = 0;
  rl_catch_sigwinch = 0;
  rl_attempted_completion_function = on_complete;
  // '@' and '/' belong to the word: "@al" completes to "@alice", "/jo" to "/join".
  static char word_breaks[] = " \t\n";
  rl_completer_word_break_characters = word_breaks;
  rl_variable_bind("completion-ignore-case", "on");
  using_history();
}

terminal::~terminal() {
  stop();
  if (active == this) active = nullptr;
}

void terminal::start(const std::string& prompt) {
  if (started_) return;
  prompt_ = prompt;
  rl_callback_handler_install(prompt_.c_str(), on_readline_line);
  started_ = true;
}

void terminal::stop() {
  if (!started_) return;
  if (!in_handler_) {
    // Take the prompt and any half-typed line off the screen, so that what
    // comes next (the shell's prompt) starts on a clean line.
    rl_clear_visible_line();
  }
  rl_callback_handler_remove();
  started_ = false;
  std::fflush(stdout);
}

void terminal::on_input() {
  if (started_) rl_callback_read_char();
}

void terminal::show(const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  if (!started_ || in_handler_) return print_plain(lines);
  // Clear the prompt and the line being typed, print, draw them again below.
  rl_clear_visible_line();
  std::fflush(rl_outstream != nullptr ? rl_outstream : stdout);
  print_plain(lines);
  rl_on_new_line();
  rl_redisplay();
}

void terminal::set_prompt(const std::string& prompt) {
  if (prompt == prompt_) return;
  prompt_ = prompt;
  if (!started_) return;
  if (in_handler_) {
    rl_set_prompt(prompt_.c_str());  // shown with the next line
    return;
  }
  rl_clear_visible_line();
  rl_set_prompt(prompt_.c_str());
  rl_on_new_line();
  rl_redisplay();
}

void terminal::resized() {
  if (started_) rl_resize_terminal();
}

void terminal::on_readline_line(char* line) {
  terminal* self = active;
  if (self == nullptr) {
    std::free(line);
    return;
  }
  std::optional<std::string> text;
  if (line != nullptr) {
    text = line;
    if (line[0] != '\0') add_history(line);
    std::free(line);
  }
  self->in_handler_ = true;
  self->on_line_(std::move(text));
  self->in_handler_ = false;
}

char** terminal::on_complete(const char* text, int start, int /*end*/) {
  rl_attempted_completion_over = 1;  // never complete file names
  terminal* self = active;
  if (self == nullptr || !self->complete_) return nullptr;
  self->candidates_ =
      self->complete_(rl_line_buffer, static_cast<std::size_t>(start), std::string_view(text));
  self->next_candidate_ = 0;
  if (self->candidates_.empty()) return nullptr;
  return rl_completion_matches(text, next_candidate);
}

char* terminal::next_candidate(const char* /*text*/, int /*state*/) {
  terminal* self = active;
  if (self == nullptr || self->next_candidate_ >= self->candidates_.size()) return nullptr;
  return strdup(self->candidates_[self->next_candidate_++].c_str());
}

}  // namespace chat::client
