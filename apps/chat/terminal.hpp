// The interactive terminal: GNU readline's callback interface, driven by the
// client's poll() loop, so that the user can type while lines arrive. Lines
// from the server are printed above the line being typed, which is then
// drawn again as it was (prompt, text, cursor): arriving chat never garbles
// a half-typed line. Tab completion and history are readline's.
// Readline's state is process-wide: at most one terminal exists at a time.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

class terminal {
 public:
  // A finished line; nullopt at the end of input (Ctrl-D on an empty line).
  using line_handler = std::function<void(std::optional<std::string>)>;
  // Candidates for `word`, which starts at `word_start` of `line`.
  using completer = std::function<std::vector<std::string>(
      std::string_view line, std::size_t word_start, std::string_view word)>;

  terminal(line_handler on_line, completer complete);
  ~terminal();  // leaves the terminal as it found it
  terminal(const terminal&) = delete;
  terminal& operator=(const terminal&) = delete;

  // Shows the prompt and takes over the keyboard.
  void start(const std::string& prompt);
  // Gives the terminal back (before exit, or before asking a password).
  void stop();
  bool started() const { return started_; }

  // Call when stdin is readable.
  void on_input();
  // Prints lines above the line being typed.
  void show(const std::vector<std::string>& lines);
  void set_prompt(const std::string& prompt);
  // Call after SIGWINCH.
  void resized();

 private:
  static void on_readline_line(char* line);
  static char** on_complete(const char* text, int start, int end);
  static char* next_candidate(const char* text, int state);

  line_handler on_line_;
  completer complete_;
  std::string prompt_;
  bool started_ = false;
  bool in_handler_ = false;  // inside on_line_: readline is between two lines
  std::vector<std::string> candidates_;
  std::size_t next_candidate_ = 0;
};

}  // namespace chat::client
