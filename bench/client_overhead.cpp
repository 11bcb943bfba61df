// Client overhead of loadwright (bench/README.md has the latest figures):
//   1. parse: response bytes → records in memory (sans I/O), events per second on one core;
//   2. loopback: streamed events per second one client worker takes in from a server that
//      answers every request at once with a pre-built SSE stream;
//   3. lag: schedule lag (sent − scheduled) at a high open-loop request rate;
//   4. hooks: the whole pipeline (records file, summary) with a Lua on_record hook against the
//      same run without it, alternating, as a ratio of events per second.
// Each figure is the median of several runs. Usage: lw_bench_client [seconds_per_run] [runs]

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "loadwright/app/runner.hpp"
#include "loadwright/core/summary.hpp"
#include "loadwright/engine/engine.hpp"
#include "loadwright/scripting/script_session.hpp"
#include "response_reader.hpp"

namespace net = boost::asio;
namespace http = boost::beast::http;
using net::ip::tcp;
using namespace loadwright::runtime;
using clock_type = std::chrono::steady_clock;

namespace {

// A chunked SSE response of `events` chat chunks (~200 bytes each, like vLLM's), usage, [DONE].
std::string canned_response(int events) {
  std::string body;
  for (int i = 0; i < events; ++i)
    body += fmt::format(
        "data: "
        "{{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        "\"model\":\"bench\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" "
        "tok{}\"}},\"logprobs\":null,"
        "\"finish_reason\":{}}}]}}\n\n",
        i, i + 1 == events ? "\"length\"" : "null");
  body += fmt::format(
      "data: {{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
      "\"usage\":{{\"prompt_tokens\":10,\"completion_tokens\":{},\"total_tokens\":{}}}}}\n\ndata: "
      "[DONE]\n\n",
      events, events + 10);
  return fmt::format(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
      "chunked\r\n\r\n{:x}\r\n{}\r\n0\r\n\r\n",
      body.size(), body);
}

// Answers every request on every connection with `response`, on its own thread.
class canned_server {
 public:
  explicit canned_server(std::string response)
      : response_(std::move(response)), acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    net::co_spawn(ioc_, accept(), net::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~canned_server() {
    ioc_.stop();
    thread_.join();
  }
  std::string url() const {
    return fmt::format("http://127.0.0.1:{}/v1", acceptor_.local_endpoint().port());
  }

 private:
  net::awaitable<void> accept() {
    for (;;) {
      auto [ec, s] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
      if (ec) co_return;
      s.set_option(tcp::no_delay(true));
      net::co_spawn(ioc_, serve(std::move(s)), net::detached);
    }
  }
  net::awaitable<void> serve(tcp::socket s) {
    boost::beast::flat_buffer buf;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(s, buf, req, net::as_tuple(net::use_awaitable));
      if (ec) co_return;
      auto [wec, wn] =
          co_await net::async_write(s, net::buffer(response_), net::as_tuple(net::use_awaitable));
      if (wec) co_return;
    }
  }
  std::string response_;
  net::io_context ioc_{1};
  tcp::acceptor acceptor_;
  std::thread thread_;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

scenario_plan bench_plan(arrival_spec arrival, std::optional<std::uint64_t> requests,
                         std::optional<double> duration_s) {
  scenario_plan p;
  p.name = "bench";
  loadwright::datasets::prompts_spec ds;
  ds.prompts = {"benchmark the client"};
  ds.output_tokens = 256;
  p.dataset = ds;
  p.arrival = arrival;
  p.requests = requests;
  if (duration_s) p.duration = seconds_d(*duration_s);
  p.sample_pool = 16;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  loadwright::datasets::estimate_token_counter counter;

  // 1. parse + decode, no sockets.
  {
    const std::string wire = canned_response(256);
    const auto body_start = wire.find("\r\n\r\n") + 4;
    const auto chunk_data = wire.substr(wire.find("\r\n", body_start) + 2);
    std::vector<double> rates;
    for (int r = 0; r < runs; ++r) {
      std::uint64_t events = 0;
      const auto t0 = clock_type::now();
      while (clock_type::now() - t0 < std::chrono::duration<double>(seconds / 5)) {
        for (int k = 0; k < 100; ++k) {
          request_record rec;
          response_reader reader;
          reader.start(rec, clock_type::now());
          reader.on_headers(200, "text/event-stream", "");
          // 256 events arriving in reads of ~1.4 kB, as on a real socket.
          const auto now = clock_type::now();
          for (std::size_t off = 0; off < chunk_data.size(); off += 1400)
            reader.on_body(std::string_view(chunk_data).substr(off, 1400), now);
          reader.finish(now);
          events += rec.text_events;
        }
      }
      rates.push_back(static_cast<double>(events) /
                      std::chrono::duration<double>(clock_type::now() - t0).count());
    }
    fmt::print("parse+decode (1 core, no I/O): {:.0f} events/s (median of {})\n", median(rates),
               runs);
  }

  // 2. loopback streaming: one client worker, 64 connections, 256 events per response.
  {
    canned_server server(canned_response(256));
    std::vector<double> ev_rates, req_rates;
    for (int r = 0; r < runs; ++r) {
      const auto plan = bench_plan(closed_arrival{64}, std::nullopt, seconds);
      auto prepared = prepare_scenario(plan, "bench", counter);
      engine_options o;
      std::string why;
      o.target.url = *base_url::parse(server.url(), &why);
      o.target.model = "bench";
      const auto t0 = clock_type::now();
      const auto res = execute_phase(prepared, run_phase::measure, 1, o);
      const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
      std::uint64_t events = 0, ok = 0;
      for (const auto& rec : res.records) {
        events += rec.text_events;
        ok += rec.ok() ? 1 : 0;
      }
      if (ok != res.records.size())
        fmt::print("  warning: {} of {} requests failed\n", res.records.size() - ok,
                   res.records.size());
      ev_rates.push_back(static_cast<double>(events) / wall);
      req_rates.push_back(static_cast<double>(res.records.size()) / wall);
    }
    fmt::print(
        "loopback streaming (1 client worker, 64 conns, 256 events/response): {:.0f} events/s, "
        "{:.0f} req/s (median of {})\n",
        median(ev_rates), median(req_rates), runs);
  }

  // 3. schedule lag at a high constant rate, short responses.
  {
    canned_server server(canned_response(1));
    for (const double rate : {1000.0, 5000.0}) {
      std::vector<double> p50, p99, pmax;
      for (int r = 0; r < runs; ++r) {
        const auto plan = bench_plan(constant_arrival{rate}, std::nullopt, seconds);
        auto prepared = prepare_scenario(plan, "bench", counter);
        engine_options o;
        std::string why;
        o.target.url = *base_url::parse(server.url(), &why);
        o.target.model = "bench";
        const auto res = execute_phase(prepared, run_phase::measure, 1, o);
        summary_options so;
        so.percentiles = {50, 99, 100};
        const auto s = summarize_run(res.records, so);
        p50.push_back(s.get("p50_schedule_lag_ms"));
        p99.push_back(s.get("p99_schedule_lag_ms"));
        pmax.push_back(s.get("p100_schedule_lag_ms"));
      }
      fmt::print(
          "schedule lag at {:.0f} req/s (1 client worker): p50 {:.3f} ms, p99 {:.3f} ms, max "
          "{:.3f} ms (median of {})\n",
          rate, median(p50), median(p99), median(pmax), runs);
    }
  }
  // 4. the pipeline with and without an on_record hook, in the same process, alternating.
  {
    canned_server server(canned_response(256));
    const auto dir = std::filesystem::temp_directory_path() / "lw_bench_hooks";
    std::filesystem::create_directories(dir);
    // A typical hook: look at every record and its inter-token gaps, keep a count.
    std::ofstream(dir / "hooks.lua") << fmt::format(R"(
local slow, gaps = 0, 0
local function s(name, hook)
  return scenario {{ name = name, dataset = prompts {{ "benchmark the client", output_tokens = 256 }},
    arrival = closed {{ concurrency = 64 }}, duration = {}, sample_pool = 16, on_record = hook }}
end
return {{ s("plain", nil), s("hooked", function(rec)
  if rec.status == "ok" and rec.ttft_ms > 1 then slow = slow + 1 end
  for _, g in ipairs(rec.itl_ms) do if g > 5 then gaps = gaps + 1 end end
end) }})",
                                                    seconds);
    namespace sc = loadwright::scripting;
    auto file = sc::load_scenario_file(dir / "hooks.lua", {});
    engine_options o;
    std::string why;
    o.target.url = *base_url::parse(server.url(), &why);
    o.target.model = "bench";
    output_options out;
    out.out_dir = dir / "out";
    auto events_per_s = [&](std::size_t i) {
      const auto prepared = prepare_scenario(file.scenarios[i], "bench", counter);
      record_pipeline pipeline;
      standard_consumers(file.scenarios[i], out, file.scenarios[i].name, nullptr,
                         file.session->consumers(i), pipeline);
      const auto report = run_scenario(prepared, o, out, pipeline);
      if (!report.failed_checks.empty()) fmt::print("  warning: {}\n", report.failed_checks[0]);
      return report.combined.get("completed") * 256.0 / report.combined.get("duration");
    };
    std::vector<double> plain, hooked, ratios;
    for (int r = 0; r < runs; ++r) {
      plain.push_back(events_per_s(0));
      hooked.push_back(events_per_s(1));
      ratios.push_back(hooked.back() / plain.back());
    }
    fmt::print(
        "pipeline (records file + summary, 64 conns, 256 events/response): {:.0f} events/s "
        "without hooks, {:.0f} with an on_record hook; ratio {:.3f} (median of {} pairs)\n",
        median(plain), median(hooked), median(ratios), runs);
  }
  return 0;
}
