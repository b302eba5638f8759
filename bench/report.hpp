// Writes a bench_result for people (text), for programs (JSON; the CI smoke
// test reads it) and for bench/run.sh (one TSV row per run). Pure apart from
// the streams it is given.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>

#include "bench/results.hpp"

namespace bench {

void write_text_report(std::ostream& out, const bench_result& r);
nlohmann::json to_json(const bench_result& r);

// The TSV columns, tab-separated, and one row of them.
std::string tsv_header();
std::string tsv_row(const bench_result& r);

// With clients spread over several servers: the columns of the per-server
// TSV and its rows, one per server, each ending in a newline ("" for a run
// against one server).
std::string servers_tsv_header();
std::string servers_tsv_rows(const bench_result& r);

}  // namespace bench
