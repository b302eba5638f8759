// Test helpers for the storage suites: a private temporary folder removed with
// everything in it at the end of the test, whole-file reads and writes for
// before/after checks, and a file size cap that stands in for a full disk.
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace chat::storage::test {

class temp_folder {
 public:
  temp_folder();  // mkdtemp under /tmp; throws std::runtime_error on failure
  ~temp_folder();
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the folder.
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The bytes of a file ("" if it cannot be read).
std::string read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::string& bytes);

// Caps the size of every file this process writes (RLIMIT_FSIZE) while it
// lives: writes past the cap fail with EFBIG, which SQLite reports as an I/O
// error, as it would a full disk. SIGXFSZ is ignored so that the failing write
// returns instead of killing the test.
class file_size_limit {
 public:
  explicit file_size_limit(rlim_t bytes);
  ~file_size_limit();
  file_size_limit(const file_size_limit&) = delete;
  file_size_limit& operator=(const file_size_limit&) = delete;

 private:
  rlimit old_{};
};

// `count` room creations with ids from `first_id` and long topics: enough
// bytes to overflow a small file_size_limit.
std::vector<write_op> big_batch(uint64_t first_id, uint64_t count);

}  // namespace chat::storage::test
