#include "temp_folder.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace chat::storage::test {

temp_folder::temp_folder() {
  std::string pattern = "/tmp/chatd-storage-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_folder::~temp_folder() {
  std::error_code ignored;  // a leftover folder in /tmp must not fail the test
  std::filesystem::remove_all(path_, ignored);
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

}  // namespace chat::storage::test

namespace chat::storage::test {

file_size_limit::file_size_limit(rlim_t bytes) {
  std::signal(SIGXFSZ, SIG_IGN);
  getrlimit(RLIMIT_FSIZE, &old_);
  rlimit capped{bytes, old_.rlim_max};
  if (setrlimit(RLIMIT_FSIZE, &capped) != 0) throw std::runtime_error("setrlimit failed");
}

file_size_limit::~file_size_limit() {
  setrlimit(RLIMIT_FSIZE, &old_);
}

std::vector<write_op> big_batch(uint64_t first_id, uint64_t count) {
  std::vector<write_op> ops;
  for (auto id = first_id; id < first_id + count; ++id)
    ops.push_back(create_room_op{
        room_record{id, "bulk" + std::to_string(id), std::string(500, 't'), "", 1, "", 0}});
  return ops;
}

}  // namespace chat::storage::test
