#include "bench/report.hpp"

#include <ostream>
#include <sstream>

#include "bench/clock.hpp"

namespace bench {
namespace {

double us(int64_t ns) {
  return static_cast<double>(ns) / ns_per_us;
}
double ms(int64_t ns) {
  return static_cast<double>(ns) / ns_per_ms;
}

nlohmann::json latency_json(const latency_histogram& h, double (*unit)(int64_t)) {
  return {{"count", h.count()},
          {"min", unit(h.min())},
          {"p50", unit(h.quantile(0.5))},
          {"p99", unit(h.quantile(0.99))},
          {"p999", unit(h.quantile(0.999))},
          {"max", unit(h.max())},
          {"mean", unit(static_cast<int64_t>(h.mean()))}};
}

std::string join_counts(const std::map<std::string, uint64_t>& counts) {
  std::string text;
  for (auto& [key, n] : counts) text += (text.empty() ? "" : ", ") + key + " " + std::to_string(n);
  return text.empty() ? "none" : text;
}

uint32_t members_per_room(const scenario& s) {
  if (s.rooms == 0 || s.clients == 0) return 0;
  return (s.clients + s.rooms - 1) / s.rooms;
}

void write_per_server(std::ostream& out, const bench_result& r) {
  const auto& t = r.traffic;
  for (std::size_t i = 0; i < t.per_server.size(); ++i) {
    const server_traffic& on = t.per_server[i];
    out << "  server " << i + 1 << " (" << on.address << ", " << on.clients << " clients, "
        << on.senders << " senders): deliveries " << on.deliveries << "; "
        << static_cast<uint64_t>(t.deliveries_per_sec(on)) << " deliveries/s; latency p50 "
        << us(on.latency.quantile(0.5)) << " us, p99 " << us(on.latency.quantile(0.99))
        << " us, max " << us(on.latency.max()) << " us\n";
  }
}

nlohmann::json per_server_json(const bench_result& r) {
  const auto& t = r.traffic;
  nlohmann::json servers = nlohmann::json::array();
  for (const server_traffic& on : t.per_server)
    servers.push_back({{"address", on.address},
                       {"clients", on.clients},
                       {"senders", on.senders},
                       {"deliveries", on.deliveries},
                       {"deliveries_in_run", on.deliveries_in_run},
                       {"deliveries_per_sec", t.deliveries_per_sec(on)},
                       {"latency_us", latency_json(on.latency, us)}});
  return servers;
}

}  // namespace

void write_text_report(std::ostream& out, const bench_result& r) {
  const auto& s = r.setup;
  const auto& t = r.traffic;
  out << "chat-bench " << r.label << " (" << r.dialect << "): " << r.plan.clients << " clients, "
      << r.plan.rooms << " rooms, " << r.plan.senders_per_room << " senders/room, rate "
      << (r.plan.rate_per_sender > 0 ? std::to_string(r.plan.rate_per_sender) + "/s" : "window")
      << ", window " << r.plan.window << ", " << r.plan.duration_s << " s\n";
  out << "  setup: " << s.connected << " connected, " << s.logged_in << " logged in";
  if (r.plan.rooms > 0) out << ", " << s.joined << " joined";
  out << "; failed: connect " << s.connect_failed << ", login " << s.refused << ", join "
      << s.join_failed << "\n";
  out << "  connect+login: " << s.connect_login_s << " s for all; per client p50 "
      << ms(s.login_latency.quantile(0.5)) << " ms, p99 " << ms(s.login_latency.quantile(0.99))
      << " ms, max " << ms(s.login_latency.max()) << " ms\n";
  if (!s.failures.empty()) out << "  setup failures: " << join_counts(s.failures) << "\n";
  if (!t.per_server.empty())
    out << "  spread over " << t.per_server.size()
        << " servers, clients round robin; joins retried " << s.join_retries
        << " times (room not there yet)\n";
  if (t.senders > 0) {
    out << "  traffic: " << t.senders << " senders sent " << t.sent << " in " << t.run_s
        << " s; deliveries " << t.deliveries << " of " << t.expected << " expected; "
        << static_cast<uint64_t>(t.deliveries_per_sec()) << " deliveries/s\n";
    out << "  latency: p50 " << us(t.latency.quantile(0.5)) << " us, p99 "
        << us(t.latency.quantile(0.99)) << " us, p99.9 " << us(t.latency.quantile(0.999))
        << " us, max " << us(t.latency.max()) << " us\n";
    out << "  correctness: lost " << t.lost << ", duplicated " << t.duplicated << ", out of order "
        << t.out_of_order << ", foreign " << t.foreign << ", refused sends "
        << join_counts(t.refused_sends) << ", window stalls " << t.window_stalls
        << ", expired in flight " << t.window_expired << "\n";
    write_per_server(out, r);
  }
  out << "  disconnects after setup: " << r.disconnects
      << "; other server errors: " << join_counts(r.server_errors) << "\n";
  if (r.server.available) {
    const auto& v = r.server;
    out << "  server " << v.pid << ": peak RSS " << v.peak_rss_kb << " kB; RSS start "
        << v.rss_start_kb << " kB, ready " << v.rss_ready_kb << " kB ("
        << static_cast<uint64_t>(v.rss_per_connection_bytes()) << " B/connection), end "
        << v.rss_end_kb << " kB; CPU " << v.cpu_s_total << " s (" << v.cpu_s_traffic
        << " s while sending)\n";
  }
  out << "  chat-bench itself: CPU " << r.bench_cpu_s << " s, peak RSS " << r.bench_peak_rss_kb
      << " kB, wall " << r.wall_s << " s; verdict: " << (r.clean() ? "clean" : "NOT CLEAN") << "\n";
}

nlohmann::json to_json(const bench_result& r) {
  const auto& s = r.setup;
  const auto& t = r.traffic;
  nlohmann::json j;
  j["label"] = r.label;
  j["dialect"] = r.dialect;
  j["scenario"] = {{"name", r.plan.name},
                   {"clients", r.plan.clients},
                   {"rooms", r.plan.rooms},
                   {"members_per_room", members_per_room(r.plan)},
                   {"senders_per_room", r.plan.senders_per_room},
                   {"rate_per_sender", r.plan.rate_per_sender},
                   {"window", r.plan.window},
                   {"duration_s", r.plan.duration_s},
                   {"connect_concurrency", r.plan.connect_concurrency},
                   {"pad_bytes", r.plan.pad_bytes}};
  j["setup"] = {{"clients", s.clients},
                {"connected", s.connected},
                {"logged_in", s.logged_in},
                {"joined", s.joined},
                {"connect_failed", s.connect_failed},
                {"refused", s.refused},
                {"join_failed", s.join_failed},
                {"connect_login_s", s.connect_login_s},
                {"join_s", s.join_s},
                {"login_latency_ms", latency_json(s.login_latency, ms)},
                {"failures", s.failures},
                {"complete", s.complete(r.plan.rooms > 0)}};
  j["traffic"] = {{"senders", t.senders},
                  {"sent", t.sent},
                  {"expected", t.expected},
                  {"deliveries", t.deliveries},
                  {"deliveries_in_run", t.deliveries_in_run},
                  {"deliveries_per_sec", t.deliveries_per_sec()},
                  {"lost", t.lost},
                  {"duplicated", t.duplicated},
                  {"out_of_order", t.out_of_order},
                  {"foreign", t.foreign},
                  {"window_stalls", t.window_stalls},
                  {"window_expired", t.window_expired},
                  {"run_s", t.run_s},
                  {"drain_s", t.drain_s},
                  {"refused_sends", t.refused_sends},
                  {"latency_us", latency_json(t.latency, us)}};
  if (!t.per_server.empty()) {
    j["setup"]["join_retries"] = s.join_retries;
    j["traffic"]["servers"] = per_server_json(r);
  }
  j["disconnects"] = r.disconnects;
  j["server_errors"] = r.server_errors;
  if (r.server.available) {
    const auto& v = r.server;
    j["server"] = {{"pid", v.pid},
                   {"rss_start_kb", v.rss_start_kb},
                   {"rss_ready_kb", v.rss_ready_kb},
                   {"rss_end_kb", v.rss_end_kb},
                   {"peak_rss_kb", v.peak_rss_kb},
                   {"rss_per_connection_bytes", v.rss_per_connection_bytes()},
                   {"connections", v.connections},
                   {"cpu_s_total", v.cpu_s_total},
                   {"cpu_s_traffic", v.cpu_s_traffic}};
  } else {
    j["server"] = nullptr;
  }
  j["bench"] = {
      {"wall_s", r.wall_s}, {"cpu_s", r.bench_cpu_s}, {"peak_rss_kb", r.bench_peak_rss_kb}};
  j["clean"] = r.clean();
  return j;
}

std::string tsv_header() {
  return "label\tdialect\tscenario\tclients\trooms\tmembers_per_room\tsenders_per_room\t"
         "deliveries_per_sec\tp50_us\tp99_us\tp999_us\tsent\tlost\tduplicated\tout_of_order\t"
         "connect_login_s\tlogged_in\tfailed\tdisconnects\tserver_peak_rss_kb\t"
         "rss_per_conn_bytes\tserver_cpu_s\tclean";
}

std::string tsv_row(const bench_result& r) {
  const auto& s = r.setup;
  const auto& t = r.traffic;
  std::ostringstream row;
  row << r.label << '\t' << r.dialect << '\t' << r.plan.name << '\t' << r.plan.clients << '\t'
      << r.plan.rooms << '\t' << members_per_room(r.plan) << '\t' << r.plan.senders_per_room << '\t'
      << static_cast<uint64_t>(t.deliveries_per_sec()) << '\t' << us(t.latency.quantile(0.5))
      << '\t' << us(t.latency.quantile(0.99)) << '\t' << us(t.latency.quantile(0.999)) << '\t'
      << t.sent << '\t' << t.lost << '\t' << t.duplicated << '\t' << t.out_of_order << '\t'
      << s.connect_login_s << '\t' << s.logged_in << '\t'
      << (s.connect_failed + s.refused + s.join_failed) << '\t' << r.disconnects << '\t';
  if (r.server.available) {
    row << r.server.peak_rss_kb << '\t'
        << static_cast<uint64_t>(r.server.rss_per_connection_bytes()) << '\t'
        << r.server.cpu_s_total;
  } else {
    row << "-\t-\t-";
  }
  row << '\t' << (r.clean() ? "yes" : "no");
  return row.str();
}

std::string servers_tsv_header() {
  return "label\tserver\taddress\tclients\tsenders\tdeliveries\tdeliveries_per_sec\tp50_us\t"
         "p99_us\tp999_us";
}

std::string servers_tsv_rows(const bench_result& r) {
  const auto& t = r.traffic;
  std::ostringstream rows;
  for (std::size_t i = 0; i < t.per_server.size(); ++i) {
    const server_traffic& on = t.per_server[i];
    rows << r.label << '\t' << i + 1 << '\t' << on.address << '\t' << on.clients << '\t'
         << on.senders << '\t' << on.deliveries << '\t'
         << static_cast<uint64_t>(t.deliveries_per_sec(on)) << '\t' << us(on.latency.quantile(0.5))
         << '\t' << us(on.latency.quantile(0.99)) << '\t' << us(on.latency.quantile(0.999)) << '\n';
  }
  return rows.str();
}

}  // namespace bench
