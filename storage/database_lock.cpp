#include "storage/database_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace chat::storage {
namespace {

flock whole_file_write_lock() {
  flock lock{};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = 0;
  lock.l_len = 0;  // to the end, however long
  return lock;
}

// The pid the holder wrote, or "" if the file holds none (it may be between
// taking the lock and writing its pid).
std::string holder_pid(int fd) {
  char text[32] = {};
  auto n = pread(fd, text, sizeof(text) - 1, 0);
  if (n <= 0) return "";
  std::string pid(text, static_cast<std::size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  for (char c : pid)
    if (c < '0' || c > '9') return "";
  return pid;
}

void write_own_pid(int fd) {
  auto text = std::to_string(getpid()) + "\n";
  // The pid is only for the message of a refused second process: a failure
  // to write it leaves the lock itself intact.
  if (ftruncate(fd, 0) != 0) return;
  [[maybe_unused]] auto written = pwrite(fd, text.data(), text.size(), 0);
}

}  // namespace

database_lock::database_lock(const std::string& db_path) : lock_path_{db_path + ".lock"} {
  create_database_folders(db_path);
  fd_ = open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw database_error("cannot open database " + db_path + ": cannot create lock file " +
                         lock_path_ + ": " + std::strerror(errno));
  auto lock = whole_file_write_lock();
  if (fcntl(fd_, F_OFD_SETLK, &lock) == 0) {
    write_own_pid(fd_);
    return;
  }
  auto error = errno;
  auto pid = (error == EAGAIN || error == EACCES) ? holder_pid(fd_) : "";
  close(fd_);
  fd_ = -1;
  if (error != EAGAIN && error != EACCES)
    throw database_error("cannot lock database " + db_path + " (" + lock_path_ +
                         "): " + std::strerror(error));
  throw database_error("database " + db_path + " is in use by another chatd" +
                       (pid.empty() ? std::string{} : " (pid " + pid + ")") +
                       ": one process per database");
}

database_lock::~database_lock() {
  if (fd_ >= 0) close(fd_);  // closing the last descriptor releases the lock
}

}  // namespace chat::storage
