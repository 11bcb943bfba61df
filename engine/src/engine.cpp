#include "loadwright/engine/engine.hpp"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "http_client.hpp"
#include "loadwright/core/printable.hpp"
#include "loadwright/core/request_codec.hpp"
#include "loadwright/datasets/sampler.hpp"
#include "loadwright/engine/engine_clock.hpp"
#include "response_reader.hpp"

namespace loadwright::runtime {

namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// ---------------------------------------------------------------------------------------
// Coroutine helpers for one worker thread (no locks: everything runs on its io_context)

namespace {

/// FIFO counting semaphore: a released permit goes straight to the oldest waiter.
class async_semaphore {
 public:
  async_semaphore(net::io_context& ioc, int permits) : ioc_(ioc), available_(permits) {}

  net::awaitable<void> acquire() {
    if (available_ > 0 && waiters_.empty()) {
      --available_;
      co_return;
    }
    auto t = std::make_shared<net::steady_timer>(ioc_, clock_type::time_point::max());
    waiters_.push_back(t);
    co_await t->async_wait(use_tuple);  // woken by release(): the permit is ours
  }
  /// Wakes every waiter (the run stopped): they go on without a permit.
  void wake_all() {
    for (auto& t : waiters_) t->cancel();
    waiters_.clear();
  }
  void release() {
    if (!waiters_.empty()) {
      auto t = std::move(waiters_.front());
      waiters_.pop_front();
      t->cancel();
    } else {
      ++available_;
    }
  }

 private:
  net::io_context& ioc_;
  int available_;
  std::deque<std::shared_ptr<net::steady_timer>> waiters_;
};

/// Counts outstanding tasks and lets one coroutine wait until none are left.
class task_counter {
 public:
  explicit task_counter(net::io_context& ioc) : timer_(ioc, clock_type::time_point::max()) {}
  void add() { ++count_; }
  void done() {
    if (--count_ == 0) timer_.cancel();
  }
  std::size_t count() const { return count_; }
  net::awaitable<void> wait_idle() {
    while (count_ > 0) {
      timer_.expires_at(clock_type::time_point::max());
      co_await timer_.async_wait(use_tuple);
    }
  }

 private:
  net::steady_timer timer_;
  std::size_t count_ = 0;
};

struct shared_progress {
  std::atomic<std::uint64_t> sent{0}, completed{0}, failed{0};
  std::atomic<std::uint64_t> peak_in_flight{0};

  void on_send() {
    const auto s = sent.fetch_add(1, std::memory_order_relaxed) + 1;
    const auto done =
        completed.load(std::memory_order_relaxed) + failed.load(std::memory_order_relaxed);
    const auto now = s > done ? s - done : 0;
    auto peak = peak_in_flight.load(std::memory_order_relaxed);
    while (now > peak && !peak_in_flight.compare_exchange_weak(peak, now)) {
    }
  }
};

struct job {
  std::uint64_t seq;
  clock_type::time_point scheduled;
  bool context = false;  // the context-only request of a `context_first` batch
};

struct worker {
  worker(const prepared_scenario& p, run_phase ph, std::uint32_t run, std::uint32_t worker_index,
         std::uint32_t worker_count, const engine_options& o, net::ssl::context* tls,
         shared_progress& prog, clock_type::time_point start)
      : prepared(p),
        phase(ph),
        run_index(run),
        index(worker_index),
        count(worker_count),
        options(o),
        clock(o.clock ? *o.clock : steady_engine_clock()),
        client(ioc, o.target.url, tls, &clock),
        progress(prog),
        run_start(start),
        tasks(ioc),
        grace(ioc) {}

  net::io_context ioc{1};
  const prepared_scenario& prepared;
  run_phase phase;
  std::uint32_t run_index;
  std::uint32_t index, count;  // this is worker `index` of `count`
  const engine_options& options;
  const engine_clock& clock;
  http_client client;
  shared_progress& progress;
  clock_type::time_point run_start;
  task_counter tasks;
  std::unique_ptr<async_semaphore> cap;
  std::vector<request_record> records;
  bool stopping = false;
  bool finished = false;
  std::set<clock_timer*> sleeping;  // cancelled when the run stops
  net::steady_timer grace;          // real time: how long requests in flight may finish
  std::string head_prefix_id;
  request_head_template head;
  /// A measured run of a scenario with `phases`: sending stops at the measure window's end,
  /// and what is still in flight at the drain's end is cancelled (`drained`).
  std::optional<phase_timeline> timeline;
  bool drained = false;

  const scenario_plan& plan() const { return *prepared.plan; }
  bool warmup() const { return phase == run_phase::warmup; }
  void keep(request_record rec) {
    if (options.on_record) options.on_record(rec);
    if (options.retain_records) records.push_back(std::move(rec));
  }
  const std::vector<datasets::sample>& samples() const {
    return warmup() ? prepared.warmup_samples : prepared.samples;
  }
  const std::vector<std::string>& bodies(bool context) const {
    if (context) return warmup() ? prepared.warmup_context_bodies : prepared.context_bodies;
    return warmup() ? prepared.warmup_bodies : prepared.bodies;
  }
  /// Where this run's samples start (fresh prompts: each run has its own slice).
  std::size_t sample_index(std::uint64_t seq) const {
    std::uint64_t offset = 0;
    if (plan().fresh_prompts && !warmup() && prepared.request_limit)
      offset = (run_index - 1) * *prepared.request_limit;
    return static_cast<std::size_t>((seq + offset) % samples().size());
  }
  bool past_duration() const {
    if (warmup()) return false;
    if (timeline) return clock.now() >= at_s(timeline->measure_end_s);
    return plan().duration && clock.now() - run_start >= *plan().duration * prepared.time_scale;
  }
  /// The engine time `s` seconds after the run's start.
  clock_type::time_point at_s(double s) const {
    return run_start + std::chrono::duration_cast<clock_type::duration>(seconds_d(s));
  }
  /// Waits until `at` on the engine's clock; false when the run stopped meanwhile.
  net::awaitable<bool> sleep_until(clock_type::time_point at) {
    if (stopping) co_return false;
    auto timer = clock.make_timer(ioc);
    sleeping.insert(timer.get());
    co_await timer->wait_until(at);
    sleeping.erase(timer.get());
    co_return !stopping;
  }
};

std::int64_t ns_between(clock_type::time_point from, clock_type::time_point to) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
}

std::string sanitize_id(std::string_view name) {
  std::string out;
  for (const char c : name)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
  return out.empty() ? "scenario" : out;
}

// One exchange: `body` sent, the response read into `rec`; `reply` (if given) gets the text.
net::awaitable<void> exchange_once(worker& w, const job& j, const datasets::sample& sample,
                                   const request_shape* shape, const std::string& body,
                                   std::uint32_t turn, std::int64_t input_tokens,
                                   request_record& rec, std::string* reply) {
  rec.scenario = w.plan().name;
  rec.run = w.run_index;
  rec.phase = j.context && !w.warmup() ? run_phase::context : w.phase;
  rec.seq = j.seq;
  rec.turn = turn;
  rec.worker = w.index;
  rec.request_id =
      turn <= 1 ? fmt::format("{}-{}{}{}", w.head_prefix_id, w.warmup() ? "w" : "",
                              j.context ? "c" : "", j.seq)
                : fmt::format("{}-{}{}.{}", w.head_prefix_id, w.warmup() ? "w" : "", j.seq, turn);
  rec.max_tokens = effective_max_tokens(sample, w.plan().request);
  const auto scheduled = turn <= 1 ? j.scheduled : w.clock.now();
  rec.scheduled_ns = ns_between(w.run_start, scheduled);
  const std::string head =
      w.head.render(body.size(), rec.request_id, shape ? shape->header_lines : std::string_view());

  const auto sent = w.clock.now();
  rec.sent_ns = ns_between(w.run_start, sent);
  if (w.timeline) rec.phase = w.timeline->phase_at(seconds_d(sent - w.run_start).count());
  w.progress.on_send();
  auto reader = std::make_unique<response_reader>();
  reader->start(rec, sent, w.plan().request.stream);
  // Timeouts guard against the server, in real time, whatever clock the engine reads.
  const exchange_limits limits{
      clock_type::now() + std::chrono::duration_cast<clock_type::duration>(w.plan().timeout),
      std::chrono::duration_cast<clock_type::duration>(w.plan().idle_timeout)};
  const auto result = co_await w.client.exchange(head, body, *reader, limits);
  const auto end = w.clock.now();
  rec.reused_connection = result.reused_connection;
  rec.dead_connections = result.dead_connections;
  if (result.status == request_status::ok)
    reader->finish(end);
  else
    reader->fail(result.status, result.error, end);
  if (w.drained && rec.status == request_status::cancelled) {
    rec.phase = run_phase::drain;  // still in flight when the drain ended
    rec.error = "cancelled at the end of the drain";
  }
  // A server that echoes the request's headers back must not put the key into the records.
  if (const auto& key = w.options.target.api_key; !key.empty())
    for (auto at = rec.error.find(key); at != std::string::npos; at = rec.error.find(key, at))
      rec.error.replace(at, key.size(), "[redacted]");
  rec.expected_input_tokens = input_tokens;
  if (rec.input_tokens < 0) rec.input_tokens = input_tokens;
  (rec.ok() ? w.progress.completed : w.progress.failed).fetch_add(1, std::memory_order_relaxed);
  if (reply) *reply = reader->text();
}

net::awaitable<void> send_one(worker& w, job j) {
  const auto index = w.sample_index(j.seq);
  const auto& sample = w.samples()[index];
  const auto& body = w.bodies(j.context)[index];
  const auto& shapes = w.warmup() ? w.prepared.warmup_shapes : w.prepared.shapes;
  const request_shape* shape = index < shapes.size() ? &shapes[index] : nullptr;
  if (j.context) {
    request_record rec;
    co_await exchange_once(w, j, sample, shape, body, 0, sample.context_tokens, rec, nullptr);
    w.keep(std::move(rec));
    co_return;
  }
  const bool conversation = sample.conversation || !sample.followups.empty();
  std::string reply;
  request_record rec;
  co_await exchange_once(w, j, sample, shape, body, conversation ? 1 : 0, sample.input_tokens, rec,
                         conversation ? &reply : nullptr);
  bool go_on = rec.ok();
  std::int64_t last_output_tokens = rec.output_tokens;
  w.keep(std::move(rec));
  if (!conversation) co_return;

  // Later turns: the history grows by the server's real reply and the next user message.
  datasets::sample turn_sample = sample;
  std::int64_t history_tokens = sample.input_tokens;
  for (std::size_t k = 0; k < sample.followups.size() && go_on && !w.stopping && !w.past_duration();
       ++k) {
    turn_sample.messages.push_back({"assistant", reply});
    turn_sample.messages.push_back({"user", sample.followups[k]});
    history_tokens += std::max<std::int64_t>(0, last_output_tokens) + sample.followup_tokens[k];
    // Think time (a stop cuts it short).
    const auto resume = w.clock.now() + std::chrono::duration_cast<clock_type::duration>(
                                            seconds_d(sample.think_time_s * w.prepared.time_scale));
    if (!co_await w.sleep_until(resume)) break;
    const std::string turn_body =
        build_request_body(turn_sample, shaped_options(w.plan().request, shape), w.prepared.model);
    request_record next;
    co_await exchange_once(w, j, turn_sample, shape, turn_body, static_cast<std::uint32_t>(k + 2),
                           history_tokens, next, &reply);
    go_on = next.ok();
    last_output_tokens = next.output_tokens;
    w.keep(std::move(next));
  }
}

// Runs `send_one` as a task tracked by the worker, holding a concurrency permit if any.
void spawn_request(worker& w, job j, bool holds_permit) {
  w.tasks.add();
  net::co_spawn(w.ioc, send_one(w, j), [&w, holds_permit](std::exception_ptr e) {
    if (holds_permit && w.cap) w.cap->release();
    w.tasks.done();
    if (e) std::rethrow_exception(e);  // a bug, not a request failure: let it surface
  });
}

net::awaitable<void> dispatch_open(worker& w) {
  const auto& schedule = w.prepared.schedule_s;
  for (std::uint64_t seq = w.index; seq < schedule.size() && !w.stopping; seq += w.count) {
    const auto at =
        w.run_start + std::chrono::duration_cast<clock_type::duration>(seconds_d(schedule[seq]));
    if (at > w.clock.now() && !co_await w.sleep_until(at)) break;
    if (w.past_duration()) break;          // phases: a late send would fall into the drain
    if (w.cap) co_await w.cap->acquire();  // the wait shows as schedule lag
    if (w.stopping) {
      if (w.cap) w.cap->release();
      break;
    }
    spawn_request(w, job{seq, at}, true);
  }
  co_await w.tasks.wait_idle();
}

// Warm-up: every warm-up request at once, gated by the concurrency the scenario allows.
net::awaitable<void> dispatch_warmup(worker& w) {
  for (std::uint64_t seq = w.index; seq < w.prepared.warmup_samples.size() && !w.stopping;
       seq += w.count) {
    if (w.cap) co_await w.cap->acquire();
    if (w.stopping) break;
    spawn_request(w, job{seq, w.clock.now()}, true);
  }
  co_await w.tasks.wait_idle();
}

net::awaitable<void> closed_slot(worker& w, std::uint64_t& next_seq, const std::uint64_t limit) {
  for (;;) {
    if (w.stopping || w.past_duration() || next_seq >= limit) co_return;
    const std::uint64_t seq = next_seq;
    next_seq += w.count;
    const auto scheduled = w.clock.now();  // the slot is free: the request is due now
    if (w.cap) co_await w.cap->acquire();
    if (w.stopping) co_return;
    w.tasks.add();
    co_await send_one(w, job{seq, scheduled});
    if (w.cap) w.cap->release();
    w.tasks.done();
  }
}

// A slot of a phased closed loop: it starts at its turn of the fill (global slot k at
// k × fill_interval), then sends back to back until the measure window ends.
net::awaitable<void> phased_slot(worker& w, int global_slot, std::uint64_t& next_seq) {
  const auto first = w.at_s(w.timeline->slot_start_s(global_slot));
  if (first > w.clock.now() && !co_await w.sleep_until(first)) co_return;
  co_await closed_slot(w, next_seq, UINT64_MAX);
}

net::awaitable<void> dispatch_closed(worker& w, int slots) {
  std::uint64_t next_seq = w.index;
  const std::uint64_t limit = w.prepared.request_limit.value_or(UINT64_MAX);
  task_counter slot_tasks(w.ioc);
  for (int s = 0; s < slots; ++s) {
    slot_tasks.add();
    // Slots are numbered as requests are split: worker k of N has slots k, k + N, …
    const int global_slot = s * static_cast<int>(w.count) + static_cast<int>(w.index);
    auto slot =
        w.timeline ? phased_slot(w, global_slot, next_seq) : closed_slot(w, next_seq, limit);
    net::co_spawn(w.ioc, std::move(slot), [&slot_tasks](std::exception_ptr e) {
      slot_tasks.done();
      if (e) std::rethrow_exception(e);
    });
  }
  co_await slot_tasks.wait_idle();
}

// Fires requests [first, first + size) at one instant and waits for all of them.
net::awaitable<void> fire_batch(worker& w, std::uint64_t first, std::uint64_t end, bool context) {
  const auto at = w.clock.now();
  for (std::uint64_t seq = first; seq < end && !w.stopping; ++seq) {
    if (w.cap) co_await w.cap->acquire();
    if (w.stopping) break;
    spawn_request(w, job{seq, at, context}, true);
  }
  co_await w.tasks.wait_idle();
}

net::awaitable<void> dispatch_batch(worker& w, int size, std::uint64_t limit) {
  std::uint64_t seq = 0;
  while (!w.stopping && !w.past_duration() && seq < limit) {
    const std::uint64_t end =
        std::min<std::uint64_t>(limit, seq + static_cast<std::uint64_t>(size));
    if (w.plan().context_first) co_await fire_batch(w, seq, end, true);
    if (w.stopping) break;
    co_await fire_batch(w, seq, end, false);
    seq = end;
  }
}

// On stop (run on the worker's thread): nothing more is sent, every wait ends at once, and
// the requests in flight get `grace` (real time) before their connections are closed and
// they are recorded as cancelled.
void begin_stop(worker& w) {
  if (w.stopping || w.finished) return;
  w.stopping = true;
  for (auto* t : w.sleeping) t->cancel();
  if (w.cap) w.cap->wake_all();
  w.grace.expires_after(w.options.grace);
  w.grace.async_wait([&w](const boost::system::error_code& ec) {
    if (!ec) w.client.close_all();
  });
}

// The drain's end (phases): nothing more is sent and what is still in flight is cancelled
// at once, recorded with phase "drain". A run whose requests all ended earlier cancels this
// wait instead.
net::awaitable<void> drain_watch(worker& w) {
  if (!co_await w.sleep_until(w.at_s(w.timeline->drain_end_s)) || w.finished) co_return;
  w.drained = true;
  w.stopping = true;
  for (auto* t : w.sleeping) t->cancel();
  if (w.cap) w.cap->wake_all();
  w.client.close_all();
}

// Splits `total` as worker `index` of `count` gets it (k mod N).
int share_of(int total, std::uint32_t index, std::uint32_t count) {
  return total / static_cast<int>(count) +
         (static_cast<int>(index) < total % static_cast<int>(count) ? 1 : 0);
}

net::awaitable<void> run_worker(worker& w) {
  const auto& plan = w.plan();
  auto make_cap = [&w](int permits) {
    w.cap = std::make_unique<async_semaphore>(w.ioc, std::max(1, permits));
  };
  std::optional<int> cap;  // this worker's share of max_concurrency
  if (plan.max_concurrency) cap = share_of(*plan.max_concurrency, w.index, w.count);
  const auto* closed = std::get_if<closed_arrival>(&plan.arrival);
  const auto* batch = std::get_if<batch_arrival>(&plan.arrival);
  std::optional<int> natural;  // the concurrency the arrival itself implies
  if (closed) natural = share_of(closed->concurrency, w.index, w.count);
  if (batch) natural = batch->size;
  if (w.timeline) net::co_spawn(w.ioc, drain_watch(w), net::detached);

  if (w.warmup()) {
    std::optional<int> permits = cap;
    if (natural) permits = std::min(permits.value_or(*natural), *natural);
    if (permits) make_cap(*permits);
    if (batch)  // a warm-up batch runs exactly like a measured one (llama-benchy)
      co_await dispatch_batch(w, batch->size, w.prepared.warmup_samples.size());
    else
      co_await dispatch_warmup(w);
  } else if (closed) {
    if (cap && *cap < *natural) make_cap(*cap);
    co_await dispatch_closed(w, *natural);
  } else {
    if (cap) make_cap(*cap);
    if (batch)
      co_await dispatch_batch(w, batch->size, w.prepared.request_limit.value_or(UINT64_MAX));
    else
      co_await dispatch_open(w);
  }
  // Phases: the measure window lasts its length even when an open loop's schedule and its
  // answers end before it; the drain starts at its end.
  if (w.timeline && !w.warmup()) co_await w.sleep_until(w.at_s(w.timeline->measure_end_s));
  w.finished = true;
  w.grace.cancel();                        // nothing left to give up on
  for (auto* t : w.sleeping) t->cancel();  // the drain's wait, if the run ended before it
}

}  // namespace

// ---------------------------------------------------------------------------------------

phase_result execute_phase(const prepared_scenario& prepared, run_phase phase, std::uint32_t run,
                           const engine_options& options) {
  const auto& plan = *prepared.plan;
  std::uint32_t workers = static_cast<std::uint32_t>(std::max(1, options.workers));
  // Batches are one barrier: one worker fires each batch. Caps and slots must cover every worker.
  if (std::holds_alternative<batch_arrival>(plan.arrival)) workers = 1;
  if (const auto* c = std::get_if<closed_arrival>(&plan.arrival))
    workers = std::min<std::uint32_t>(workers, static_cast<std::uint32_t>(c->concurrency));
  if (plan.max_concurrency)
    workers = std::min<std::uint32_t>(workers, static_cast<std::uint32_t>(*plan.max_concurrency));

  std::unique_ptr<net::ssl::context> tls;
  if (options.target.url.tls) tls = make_tls_context(options.target.insecure);
  shared_progress progress;
  const engine_clock& clock = options.clock ? *options.clock : steady_engine_clock();
  std::optional<phase_timeline> timeline;  // a measured run with phases is one timeline
  if (phase == run_phase::measure) timeline = plan_timeline(plan, prepared.time_scale);
  const auto wall_start = std::chrono::system_clock::now();
  const auto start = clock.now();
  const auto head =
      request_head_template::make(options.target.url, plan.request, options.target.api_key);
  const std::string id_prefix = fmt::format("{}-{}", sanitize_id(plan.name), run);

  std::vector<std::unique_ptr<worker>> ws;
  for (std::uint32_t k = 0; k < workers; ++k) {
    ws.push_back(std::make_unique<worker>(prepared, phase, run, k, workers, options, tls.get(),
                                          progress, start));
    ws.back()->head = head;
    ws.back()->head_prefix_id = id_prefix;
    ws.back()->timeline = timeline;
  }
  // A stop reaches each worker on its own thread (no worker polls for it).
  std::vector<std::size_t> subscriptions;
  if (options.stop)
    for (auto& w : ws)
      subscriptions.push_back(options.stop->subscribe(
          [wp = w.get()] { net::post(wp->ioc, [wp] { begin_stop(*wp); }); }));
  std::vector<std::exception_ptr> errors(workers);
  std::vector<std::thread> threads;
  std::mutex running_mu;
  std::condition_variable running_cv;
  std::uint32_t running = workers;
  for (std::uint32_t k = 0; k < workers; ++k) {
    threads.emplace_back([&, k] {
      auto& w = *ws[k];
      net::co_spawn(w.ioc, run_worker(w), net::detached);
      try {
        w.ioc.run();
      } catch (...) {
        errors[k] = std::current_exception();
      }
      {
        std::lock_guard lock(running_mu);
        --running;
      }
      running_cv.notify_one();
    });
  }
  auto snapshot = [&] {
    progress_snapshot s;
    s.sent = progress.sent.load();
    s.completed = progress.completed.load();
    s.failed = progress.failed.load();
    s.elapsed_s = std::chrono::duration<double>(clock.now() - start).count();
    return s;
  };
  // Progress (and the runner's records) every 50 ms until the last worker is done.
  for (;;) {
    std::unique_lock lock(running_mu);
    if (running_cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return running == 0; }))
      break;
    lock.unlock();
    if (options.on_progress) options.on_progress(snapshot());
  }
  for (auto& t : threads) t.join();
  const double end_s = seconds_d(clock.now() - start).count();
  for (const auto id : subscriptions) options.stop->unsubscribe(id);
  if (options.on_progress) options.on_progress(snapshot());
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);

  phase_result result;
  result.peak_in_flight = static_cast<std::int64_t>(progress.peak_in_flight.load());
  result.wall_start = wall_start;
  if (timeline) {
    // The phases as they happened: as planned, the drain ending with its last request (or
    // its limit), everything cut where a stop ended the run.
    for (auto span : timeline->spans()) {
      if (span.start_s > end_s) break;
      span.end_s = std::min(span.end_s, end_s);
      if (span.phase == run_phase::drain) span.end_s = end_s;
      result.phases.push_back(span);
    }
  }
  for (auto& w : ws) {
    result.interrupted = result.interrupted || (w->stopping && !w->drained);
    for (auto& r : w->records) result.records.push_back(std::move(r));
  }
  std::sort(result.records.begin(), result.records.end(),
            [](const request_record& a, const request_record& b) {
              return a.seq != b.seq ? a.seq < b.seq : a.turn < b.turn;
            });
  return result;
}

// ---------------------------------------------------------------------------------------

namespace {

// Collects a whole (small) response body.
struct body_collector final : response_consumer {
  int status = 0;
  std::string body;
  std::string location;
  std::string server;
  std::optional<time_point> first_body;
  void on_headers(int s, std::string_view, std::string_view) override { status = s; }
  void on_location(std::string_view l) override { location = l; }
  void on_server(std::string_view v) override { server = v.substr(0, 200); }
  static constexpr std::size_t max_body = 16u << 20;
  void on_body(std::string_view bytes, time_point at) override {
    if (!first_body && !bytes.empty()) first_body = at;
    if (body.size() < max_body) body.append(bytes.substr(0, max_body - body.size()));
  }
  bool abandoned() const override { return body.size() >= max_body; }  // stop reading
};

}  // namespace

small_response send_small_request(const engine_target& target, std::string_view method,
                                  const std::string& path, std::string_view json_body,
                                  std::chrono::seconds timeout) {
  net::io_context ioc{1};
  std::unique_ptr<net::ssl::context> tls;
  if (target.url.tls) tls = make_tls_context(target.insecure);
  http_client client(ioc, target.url, tls.get());
  body_collector out;
  std::string head = fmt::format(
      "{} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: loadwright/0.1\r\nAccept: application/json\r\n",
      method, path, target.url.host_header());
  if (!json_body.empty())
    head +=
        fmt::format("Content-Type: application/json\r\nContent-Length: {}\r\n", json_body.size());
  if (!target.api_key.empty()) head += fmt::format("Authorization: Bearer {}\r\n", target.api_key);
  head += "\r\n";
  exchange_result result;
  const auto sent = clock_type::now();
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        result =
            co_await client.exchange(head, json_body, out, {clock_type::now() + timeout, timeout});
      },
      net::detached);
  ioc.run();
  const auto complete = clock_type::now();
  small_response r;
  r.complete_s = seconds_d(complete - sent).count();
  if (out.first_body) r.first_body_s = seconds_d(*out.first_body - sent).count();
  r.where = fmt::format("{} ({} {})", target.url.to_string(), method, path);
  if (result.status != request_status::ok) {
    r.error = out.abandoned() ? "the response body exceeded 16 MiB" : result.error;
    return r;
  }
  r.ok = true;
  r.status = out.status;
  r.body = std::move(out.body);
  r.location = std::move(out.location);
  r.server = std::move(out.server);
  return r;
}

std::string small_response::problem() const {
  if (!ok) return where + ": " + error;
  if (status != 200) return fmt::format("{}: HTTP {}", where, status);
  return {};
}

namespace {

// A short printable string a server sent about itself, or "" (control characters, too long).
std::string fact_text(const boost::json::value* v) {
  if (!v || !v->is_string()) return {};
  std::string text(v->as_string());
  if (text.size() > 200 || has_control_characters(text)) return {};
  return text;
}

}  // namespace

std::string discover_model(const engine_target& target, std::string* why, std::string* root,
                           server_facts* facts) {
  const auto r = send_small_request(target, "GET", target.url.endpoint_path("models"));
  if (facts && r.ok && !has_control_characters(r.server)) facts->server = r.server;
  if (const auto problem = r.problem(); !problem.empty()) {
    if (why) *why = problem;
    return {};
  }
  boost::system::error_code ec;
  const auto doc = boost::json::parse(r.body, ec);
  const auto* data = !ec && doc.is_object() ? doc.as_object().if_contains("data") : nullptr;
  if (data && data->is_array() && !data->as_array().empty()) {
    const auto* first = data->as_array().front().if_object();
    const auto* id = first ? first->if_contains("id") : nullptr;
    if (root) {
      const auto* root_value = first ? first->if_contains("root") : nullptr;
      *root = root_value && root_value->is_string() ? std::string(root_value->as_string()) : "";
    }
    if (facts && first) {
      facts->owned_by = fact_text(first->if_contains("owned_by"));
      const auto* len = first->if_contains("max_model_len");
      if (len && len->is_int64() && len->as_int64() > 0) facts->max_model_len = len->as_int64();
    }
    if (id && id->is_string()) {
      const std::string model(id->as_string());
      if (!has_control_characters(model)) return model;
      // It would be sent back in every request and printed everywhere: refuse it.
      if (why)
        *why = r.where + ": the model id has control characters: \"" + printable(model) + '"';
      return {};
    }
  }
  if (why) *why = r.where + ": no model listed";
  return {};
}

void discover_server_version(const engine_target& target, server_facts& facts) {
  // Which request, and which field of its answer, by the engine the model list named.
  std::string path, field;
  const auto& engine = facts.owned_by;
  if (engine == "vllm" || engine == "loadwright") {
    path = "version";
    field = "version";
  } else if (engine == "sglang") {
    path = "get_server_info";
    field = "version";
  } else if (engine == "llamacpp") {
    path = "props";
    field = "build_info";
  } else {
    return;
  }
  try {
    const auto r =
        send_small_request(target, "GET", target.url.root_path(path), {}, std::chrono::seconds(5));
    if (!r.problem().empty()) return;
    boost::system::error_code ec;
    const auto doc = boost::json::parse(r.body, ec);
    if (ec || !doc.is_object()) return;
    if (auto v = fact_text(doc.as_object().if_contains(field)); !v.empty()) {
      facts.version = std::move(v);
      facts.version_from = "GET /" + path + (field == "version" ? "" : " " + field);
    }
  } catch (const std::exception&) {
    // Optional: a server that cannot say leaves the version empty.
  }
}

}  // namespace loadwright::runtime
