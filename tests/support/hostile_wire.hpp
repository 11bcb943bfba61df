#pragma once
// Wire bytes for scripted_server: SSE streams, chunks and whole responses, written by hand.

#include <cstdio>
#include <string>
#include <vector>

namespace loadwright::testing::wire {

inline const std::string kSseHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

inline std::string chunk(const std::string& bytes) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  return size + bytes + "\r\n";
}

inline std::string delta(const std::string& text, const char* finish = nullptr) {
  return R"({"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":")" +
         text + R"("},"finish_reason":)" + (finish ? std::string("\"") + finish + "\"" : "null") +
         "}]}";
}

// Three text events and [DONE], each event `data: …` ended by two `eol`.
inline std::vector<std::string> good_events(const std::string& eol = "\n") {
  return {"data: " + delta("one") + eol + eol, "data: " + delta(" two") + eol + eol,
          "data: " + delta(" three", "stop") + eol + eol, "data: [DONE]" + eol + eol};
}

inline std::string sse(const std::vector<std::string>& events, std::string head = kSseHead) {
  for (const auto& e : events) head += chunk(e);
  return head + "0\r\n\r\n";
}

inline std::string whole(int status, const std::string& content_type, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A short, good streamed answer: two text events, usage, [DONE].
inline std::string short_answer() {
  return sse({"data: " + delta("hi") + "\n\n", "data: " + delta(" there", "stop") + "\n\n",
              R"(data: {"id":"x","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}})"
              "\n\n",
              "data: [DONE]\n\n"});
}

}  // namespace loadwright::testing::wire
