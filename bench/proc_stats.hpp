// What the kernel says about the server process: memory from
// /proc/PID/status (VmRSS now, VmHWM its peak) and CPU time from
// /proc/PID/stat (utime + stime). The parsers are pure and tested; the
// readers return nullopt when the process is gone or not ours to read.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace bench {

struct proc_memory {
  uint64_t rss_kb = 0;       // VmRSS: resident now
  uint64_t peak_rss_kb = 0;  // VmHWM: the high-water mark of VmRSS
};

std::optional<proc_memory> parse_proc_status(std::string_view status);
// utime + stime in clock ticks, fields 14 and 15 of /proc/PID/stat.
std::optional<uint64_t> parse_proc_stat_ticks(std::string_view stat);

std::optional<proc_memory> read_proc_memory(pid_t pid);
std::optional<double> read_proc_cpu_seconds(pid_t pid);

}  // namespace bench
