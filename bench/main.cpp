// chat-bench: a load generator for chatd and, for comparison, any IRC server.
// One process, one thread, one epoll set; loopback only. See bench/run.sh for
// the scenarios of issue 5 and docs/benchmarks.md for the figures.
#include <sys/resource.h>

#include <csignal>
#include <fstream>
#include <iostream>

#include "bench/dialect.hpp"
#include "bench/load_driver.hpp"
#include "bench/options.hpp"
#include "bench/report.hpp"

namespace {

// Sockets beyond the clients: stdio, epoll, /proc reads, and some slack.
constexpr rlim_t spare_files = 64;

// Raises the soft open-file limit as far as the hard one allows; false when
// the clients still would not fit.
bool fit_open_file_limit(uint32_t clients) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return true;  // cannot tell: let connect() say
  rlim_t needed = clients + spare_files;
  if (limit.rlim_cur < needed) {
    limit.rlim_cur = std::min(needed, limit.rlim_max);
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur >= needed) return true;
  std::cerr << "chat-bench: " << clients << " clients need " << needed
            << " open files; the limit is " << limit.rlim_cur
            << " (raise it with ulimit -n, or use fewer --clients)\n";
  return false;
}

// Appends rows (each ending in a newline) to a TSV file, with the header
// first when the file is new: bench/run.sh collects many runs in one file.
bool append_tsv(const std::string& path, const std::string& header, const std::string& rows) {
  bool fresh = !std::ifstream(path).good();
  std::ofstream out(path, std::ios::app);
  if (fresh) out << header << "\n";
  out << rows;
  if (out) return true;
  std::cerr << "chat-bench: cannot write " << path << "\n";
  return false;
}

bool write_outputs(const bench::bench_options& options, const bench::bench_result& result) {
  if (!options.quiet) bench::write_text_report(std::cout, result);
  if (options.json_path == "-") {
    std::cout << bench::to_json(result).dump(2) << "\n";
  } else if (!options.json_path.empty()) {
    std::ofstream out(options.json_path);
    out << bench::to_json(result).dump(2) << "\n";
    if (!out) {
      std::cerr << "chat-bench: cannot write " << options.json_path << "\n";
      return false;
    }
  }
  if (!options.tsv_path.empty() &&
      !append_tsv(options.tsv_path, bench::tsv_header(), bench::tsv_row(result) + "\n"))
    return false;
  if (!options.servers_tsv_path.empty() && !result.traffic.per_server.empty() &&
      !append_tsv(options.servers_tsv_path, bench::servers_tsv_header(),
                  bench::servers_tsv_rows(result)))
    return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto options = bench::parse_options(argc, argv, exit_code);
  if (!options) return exit_code;
  std::signal(SIGPIPE, SIG_IGN);  // a server that hangs up is a result, not a crash
  if (!fit_open_file_limit(options->plan.clients)) return 2;

  auto protocol = bench::make_dialect(options->dialect);
  bench::load_driver driver(*options, *protocol);
  bench::bench_result result = driver.run();
  if (!write_outputs(*options, result)) return 2;
  if (options->strict && !result.clean()) return 1;
  return 0;
}
