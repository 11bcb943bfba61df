// Dataset and tokenizer speed: tokenizer load time, encode/decode throughput on a whole book,
// random-prompt generation, and ShareGPT load time and peak memory on a full-size file shape.
//
//   lw_bench_datasets FIXTURES_DIR [runs] [sharegpt_records]
//
// FIXTURES_DIR is what scripts/fetch-fixtures.sh fills; the book is Debian's pg1661.txt. Each
// figure is the median of `runs` (default 5). The ShareGPT-shaped file (default 100 000
// records, about 600 MB, like ShareGPT_V3_unfiltered_cleaned_split.json) is generated once in
// the temp folder; its load runs in a child process so peak RSS is its own.

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "loadwright/datasets/rng.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/datasets/token_counter.hpp"
#include "loadwright/datasets/tokenizer.hpp"

namespace ds = loadwright::datasets;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

void bench_tokenizer(const std::string& name, const std::string& path, const std::string& book,
                     int runs) {
  std::vector<double> load_s, encode_s, warm_s, decode_s;
  std::size_t tokens = 0;
  for (int r = 0; r < runs; ++r) {
    auto t0 = clock_type::now();
    const auto tok = ds::tokenizer::load(path);
    load_s.push_back(seconds_since(t0));
    t0 = clock_type::now();
    const auto ids = tok->encode(book);
    encode_s.push_back(seconds_since(t0));  // cold: the piece cache starts empty
    t0 = clock_type::now();
    (void)tok->encode(book);
    warm_s.push_back(seconds_since(t0));
    t0 = clock_type::now();
    const auto text = tok->decode(ids);
    decode_s.push_back(seconds_since(t0));
    tokens = ids.size();
    if (text.empty()) std::abort();
  }
  const double mb = static_cast<double>(book.size()) / 1e6;
  fmt::print(
      "| {} | {:.0f} ms | {:.1f} MB/s ({:.2f} M tok/s) | {:.1f} MB/s | {:.1f} M tok/s | {} |\n",
      name, median(load_s) * 1e3, mb / median(encode_s),
      static_cast<double>(tokens) / median(encode_s) / 1e6, mb / median(warm_s),
      static_cast<double>(tokens) / median(decode_s) / 1e6, tokens);
}

void bench_random(const std::string& name, const std::string& path, int runs) {
  const ds::tokenizer_token_counter counter(ds::tokenizer::load(path));
  ds::random_spec spec;
  spec.input_tokens = 1024;
  spec.output_tokens = 128;
  std::vector<double> s;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = clock_type::now();
    const auto samples = ds::draw_samples(spec, 200, static_cast<std::uint64_t>(r), counter);
    s.push_back(seconds_since(t0));
  }
  fmt::print("| {} | {:.0f} prompts/s |\n", name, 200 / median(s));
}

// The process's resident anonymous memory (heap, not file pages), in MiB.
double rss_anon_mib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  double kib = 0;
  while (status >> key) {
    if (key == "RssAnon:") {
      status >> kib;
      break;
    }
  }
  return kib / 1024.0;
}

// A ShareGPT V3-shaped file: pretty-printed, UTF-8 with escapes, 2-6 turns per entry.
void write_sharegpt(const std::string& path, std::size_t records) {
  std::ofstream out(path, std::ios::binary);
  ds::seeded_rng rng(1);
  const char* words[] = {
      "the",          "server",           "latency",     "token",
      "batch",        "\\\"quoted\\\"",   "caf\xC3\xA9", "\xE4\xB8\xAD\xE6\x96\x87",
      "line\\nbreak", "\xF0\x9F\xA6\x99", "throughput",  "and"};
  out << "[\n";
  for (std::size_t i = 0; i < records; ++i) {
    out << (i ? ",\n" : "") << "  {\n    \"id\": \"rec" << i << "_0\",\n    \"conversations\": [\n";
    const auto turns = rng.uniform_int(2, 6);
    for (std::int64_t t = 0; t < turns; ++t) {
      out << (t ? ",\n" : "") << "      {\n        \"from\": \"" << (t % 2 ? "gpt" : "human")
          << "\",\n        \"value\": \"";
      const auto n = rng.uniform_int(50, 450);
      for (std::int64_t w = 0; w < n; ++w) out << (w ? " " : "") << words[rng.uniform_int(0, 11)];
      out << "\"\n      }";
    }
    out << "\n    ]\n  }";
  }
  out << "\n]\n";
}

void bench_sharegpt(std::size_t records, int runs) {
  const std::string path =
      (fs::temp_directory_path() / fmt::format("lw-bench-sharegpt-{}.json", records)).string();
  if (!fs::exists(path)) write_sharegpt(path, records);
  const double mb = static_cast<double>(fs::file_size(path)) / 1e6;
  std::vector<double> seconds, peak_mb, anon_mb;
  for (int r = 0; r < runs; ++r) {
    int fd[2];
    if (pipe(fd) != 0) return;
    const pid_t pid = fork();
    if (pid == 0) {
      ds::estimate_token_counter counter;
      ds::sharegpt_spec spec;
      spec.path = path;
      const auto t0 = clock_type::now();
      const auto samples = ds::draw_samples(spec, 1000, 42, counter);
      const double result[2] = {seconds_since(t0), rss_anon_mib()};
      (void)!write(fd[1], result, sizeof result);
      _exit(samples.size() == 1000 ? 0 : 1);
    }
    double result[2] = {0, 0};
    (void)!read(fd[0], result, sizeof result);
    close(fd[0]);
    close(fd[1]);
    int status = 0;
    struct rusage ru {};
    wait4(pid, &status, 0, &ru);
    seconds.push_back(result[0]);
    anon_mb.push_back(result[1]);
    peak_mb.push_back(static_cast<double>(ru.ru_maxrss) / 1024.0);  // KiB -> MiB
  }
  fmt::print("| {} records, {:.0f} MB | {:.2f} s ({:.0f} MB/s) | {:.0f} MiB | {:.0f} MiB |\n",
             records, mb, median(seconds), mb / median(seconds), median(peak_mb), median(anon_mb));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: lw_bench_datasets FIXTURES_DIR [runs] [sharegpt_records]\n");
    return 2;
  }
  const std::string fixtures = argv[1];
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  const std::size_t records = argc > 3 ? static_cast<std::size_t>(std::atol(argv[3])) : 100'000;
  std::string book = read_all(ds::default_gutenberg_book());
  if (book.empty()) {
    fmt::print(stderr,
               "pg1661.txt is missing (apt-get install golang-github-bkaradzic-go-lz4-dev)\n");
    return 2;
  }
  fmt::print("Tokenizers on pg1661.txt ({} bytes), median of {} runs\n\n", book.size(), runs);
  fmt::print(
      "| tokenizer | load | encode, cold cache | encode, warm cache | decode | tokens "
      "|\n|---|---|---|---|---|---|\n");
  for (const char* name : {"llama3", "qwen3", "mistral"})
    bench_tokenizer(name, fixtures + "/" + name, book, runs);
  for (const char* name : {"cl100k_base", "o200k_base"})
    bench_tokenizer(name, fixtures + "/tiktoken/" + name + ".tiktoken", book, runs);
  fmt::print(
      "\nRandom prompts (1024 tokens, decode/re-encode to exact length), median of {} runs of "
      "200\n\n",
      runs);
  fmt::print("| tokenizer | rate |\n|---|---|\n");
  for (const char* name : {"llama3", "mistral"}) bench_random(name, fixtures + "/" + name, runs);
  fmt::print("\nShareGPT load + sample 1000 (estimate counter), median of {} runs\n\n", runs);
  fmt::print(
      "| file | time | peak RSS (mapped file included) | heap (RssAnon) after "
      "|\n|---|---|---|---|\n");
  bench_sharegpt(records, runs);
  return 0;
}
