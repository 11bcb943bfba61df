#include "response_reader.hpp"

#include <fmt/format.h>

#include <cctype>

#include "loadwright/datasets/token_counter.hpp"

namespace loadwright::runtime {

void response_reader::start(request_record& record, time_point sent, bool asked_to_stream) {
  rec_ = &record;
  asked_to_stream_ = asked_to_stream;
  sent_ = sent;
  last_text_ = {};
  streaming_ = saw_done_ = saw_choices_ = failed_ = false;
  sse_.reset();
  text_.clear();
  body_.clear();
}

void response_reader::set_error(request_status s, std::string message) {
  if (failed_) return;  // the first problem is the one worth reporting
  failed_ = true;
  rec_->status = s;
  rec_->error = std::move(message);
}

void response_reader::on_headers(int status, std::string_view content_type,
                                 std::string_view retry_after) {
  rec_->http_status = status;
  std::string media(content_type);  // media types are case-insensitive (RFC 9110 §8.3.1)
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  streaming_ = media.find("text/event-stream") != std::string::npos;
  // A stream whose Content-Type a proxy dropped or rewrote: the first bytes tell.
  undecided_ = !streaming_ && asked_to_stream_ && media.find("json") == std::string::npos;
  sniffed_.clear();
  if (status < 200 || status >= 300) {
    std::string msg = fmt::format("HTTP {}", status);
    if (!retry_after.empty()) msg += fmt::format(" (Retry-After: {})", retry_after);
    set_error(request_status::http_status, std::move(msg));
  }
}

void response_reader::on_body(std::string_view bytes, time_point at) {
  now_ = at;
  if (rec_->status == request_status::http_status) {
    // Keep the start of an error body: it usually says what went wrong.
    if (body_.size() < max_error_body) body_.append(bytes.substr(0, max_error_body - body_.size()));
    return;
  }
  if (undecided_) {
    sniffed_.append(bytes);
    if (sniffed_.size() < 6) return;  // "event:" and "retry:" are the longest we look for
    decide_body_kind();
    return;
  }
  feed_body(bytes);
}

void response_reader::decide_body_kind() {
  const std::string_view start = sniffed_;
  undecided_ = false;
  for (const std::string_view field : {"data:", ":", "event:", "id:", "retry:"})
    if (start.starts_with(field)) streaming_ = true;
  const std::string bytes = std::move(sniffed_);
  sniffed_.clear();
  feed_body(bytes);
}

void response_reader::feed_body(std::string_view bytes) {
  if (streaming_) {
    if (!sse_.feed(bytes, *this))
      set_error(request_status::protocol, "an SSE event exceeded the size limit");
    return;
  }
  if (body_.size() + bytes.size() > max_json_body) {
    set_error(request_status::protocol, "response body exceeded the size limit");
    return;
  }
  body_.append(bytes);
}

bool response_reader::abandoned() const {
  if (rec_->status == request_status::http_status) return body_.size() >= max_error_body;
  return failed_;
}

void response_reader::on_event(std::string_view, std::string_view data) {
  if (saw_done_) return;  // the stream is over at [DONE]; anything after it is not counted
  decoder_.decode(data, chunk_, &text_);
  apply_chunk(chunk_, now_);
}

void response_reader::apply_chunk(const openai_chunk& c, time_point at) {
  if (c.done) {
    saw_done_ = true;
    return;
  }
  if (c.malformed) {
    set_error(request_status::protocol, "malformed JSON in response: " + c.parse_error);
    return;
  }
  if (c.has_error) {
    set_error(request_status::protocol,
              "server error in response: " +
                  (c.error_message.empty() ? std::string("(no message)") : c.error_message));
    return;
  }
  if (c.has_choices) {
    saw_choices_ = true;
    if (rec_->ttfr_ns < 0) rec_->ttfr_ns = since_sent(at);
    rec_->last_choice_ns = since_sent(at);
    ++rec_->choice_events;
    if (!c.has_text) {
      if (rec_->ttft_ns < 0)
        ++rec_->leading_empty_events;
      else
        ++rec_->trailing_empty_events;
    } else {
      rec_->trailing_empty_events = 0;  // an empty event between text events is not trailing
    }
  }
  if (c.has_text) {
    if (rec_->ttft_ns < 0) {
      rec_->ttft_ns = since_sent(at);
    } else {
      rec_->itl_ms.push_back(
          static_cast<float>(std::chrono::duration<double, std::milli>(at - last_text_).count()));
    }
    last_text_ = at;
    rec_->e2el_ns = since_sent(at);
    ++rec_->text_events;
  }
  if (!c.finish_reason.empty()) rec_->finish_reason = c.finish_reason;
  if (c.prompt_tokens >= 0) {
    rec_->input_tokens = c.prompt_tokens;
    rec_->input_tokens_from_usage = true;
  }
  if (c.completion_tokens >= 0) {
    rec_->output_tokens = c.completion_tokens;
    rec_->output_tokens_from_usage = true;
  }
}

void response_reader::finish(time_point at) {
  rec_->end_ns = since_sent(at);
  if (undecided_) {
    now_ = at;
    decide_body_kind();  // a body shorter than the sniff
  }
  if (rec_->status == request_status::http_status) {
    if (!body_.empty()) rec_->error += ": " + body_;
    return;
  }
  if (!streaming_ && !failed_ && body_.empty()) {
    set_error(request_status::empty, fmt::format("HTTP {} with an empty body", rec_->http_status));
  } else if (!streaming_ && !failed_) {
    decoder_.decode(body_, chunk_, &text_);
    apply_chunk(chunk_, at);
    if (chunk_.has_text || chunk_.has_choices) {
      rec_->ttfr_ns = rec_->ttft_ns = rec_->e2el_ns = rec_->last_choice_ns = since_sent(at);
      rec_->text_events = rec_->choice_events = 1;
      rec_->leading_empty_events = rec_->trailing_empty_events = 0;
    }
  }
  if (!failed_) {
    if (streaming_ && sse_.has_partial_event())
      set_error(request_status::truncated, "the stream ended inside an event");
    else if (streaming_ && !saw_done_)
      set_error(request_status::truncated, "the stream ended without [DONE]");
    else if (!saw_choices_)
      set_error(request_status::empty, "the response carried no choices");
  }
  if (!rec_->output_tokens_from_usage)
    rec_->output_tokens = datasets::estimate_token_counter::estimate_tokens(text_);
}

void response_reader::fail(request_status status, std::string message, time_point at) {
  rec_->end_ns = since_sent(at);
  if (rec_->status == request_status::http_status) {
    if (!body_.empty()) rec_->error += ": " + body_;
    return;
  }
  set_error(status, std::move(message));
  if (!rec_->output_tokens_from_usage)
    rec_->output_tokens = datasets::estimate_token_counter::estimate_tokens(text_);
}

}  // namespace loadwright::runtime
