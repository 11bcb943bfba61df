#pragma once
// A real llama.cpp llama-server for the integration tests: a tiny model of random weights made
// on the spot (a llama2.c checkpoint written here, converted with llama.cpp's own tool and a
// vocabulary GGUF from its source), served on a free loopback port. The binaries come from
// scripts/fetch-llama-server.sh (built from the source node-llama-cpp ships); their folder is
// LW_LLAMA_SERVER_DIR (compiled in, or the environment variable of that name).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "spawn.hpp"

namespace lw_llama {

namespace fs = std::filesystem;

/// The folder holding llama-server, llama-convert-llama2c-to-ggml and ../models/.
inline fs::path binaries() {
  if (const char* env = std::getenv("LW_LLAMA_SERVER_DIR"); env && *env) return env;
#ifdef LW_LLAMA_SERVER_DIR
  return LW_LLAMA_SERVER_DIR;
#else
  return {};
#endif
}

/// llama2.c's checkpoint layout (run.c): seven int32 of config, then float32 weights in this
/// order; a positive vocab_size means the classifier shares the embedding table.
struct llama2c_config {
  std::int32_t dim = 64, hidden_dim = 128, n_layers = 2, n_heads = 4, n_kv_heads = 4;
  std::int32_t vocab_size = 32000;  // ggml-vocab-llama-spm.gguf's
  std::int32_t seq_len = 256;
};

inline void write_random_llama2c(const fs::path& path, const llama2c_config& c,
                                 std::uint32_t seed) {
  std::ofstream out(path, std::ios::binary);
  const std::int32_t header[7] = {c.dim,        c.hidden_dim, c.n_layers, c.n_heads,
                                  c.n_kv_heads, c.vocab_size, c.seq_len};
  out.write(reinterpret_cast<const char*>(header), sizeof header);
  const std::size_t d = static_cast<std::size_t>(c.dim), h = static_cast<std::size_t>(c.hidden_dim),
                    l = static_cast<std::size_t>(c.n_layers),
                    kv = d * static_cast<std::size_t>(c.n_kv_heads) /
                         static_cast<std::size_t>(c.n_heads),
                    head = d / static_cast<std::size_t>(c.n_heads);
  const std::size_t floats = static_cast<std::size_t>(c.vocab_size) * d     // embeddings
                             + l * d                                        // rms_att
                             + l * d * d + 2 * l * d * kv + l * d * d       // wq wk wv wo
                             + l * d                                        // rms_ffn
                             + 3 * l * h * d                                // w1 w2 w3
                             + d                                            // rms_final
                             + static_cast<std::size_t>(c.seq_len) * head;  // freq_cis (skipped)
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
  std::vector<float> buf(floats);
  for (auto& f : buf) f = noise(rng);
  out.write(reinterpret_cast<const char*>(buf.data()),
            static_cast<std::streamsize>(buf.size() * sizeof(float)));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

/// Runs `argv` to completion with its output in `log`; its exit status.
inline int run_to_end(std::vector<std::string> argv, const fs::path& log) {
  const pid_t pid = lw_test::spawn_logged(std::move(argv), log);
  if (pid < 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// The tiny random model as GGUF, made once per folder.
inline fs::path tiny_model(const fs::path& dir) {
  const auto gguf = dir / "tiny-random-llama.gguf";
  if (fs::exists(gguf)) return gguf;
  fs::create_directories(dir);
  const auto ckpt = dir / "tiny-random.llama2c.bin";
  write_random_llama2c(ckpt, {}, 42);
  const auto bin = binaries();
  const int rc =
      run_to_end({(bin / "llama-convert-llama2c-to-ggml").string(), "--copy-vocab-from-model",
                  (bin.parent_path() / "models" / "ggml-vocab-llama-spm.gguf").string(),
                  "--llama2c-model", ckpt.string(), "--llama2c-output-model", gguf.string()},
                 dir / "convert.log");
  if (rc != 0 || !fs::exists(gguf))
    throw std::runtime_error("llama-convert-llama2c-to-ggml failed: see " +
                             (dir / "convert.log").string());
  return gguf;
}

/// A free loopback port (bound, read, released: good enough for a test's own server).
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// The HTTP status of GET `path` on 127.0.0.1:`port`, or 0 when nothing answers.
inline int http_get_status(int port, const std::string& path, std::string* body = nullptr) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return 0;
  }
  const std::string req =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  (void)!::write(fd, req.data(), req.size());
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
    reply.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  if (reply.rfind("HTTP/1.", 0) != 0 || reply.size() < 12) return 0;
  if (body) {
    const auto at = reply.find("\r\n\r\n");
    *body = at == std::string::npos ? "" : reply.substr(at + 4);
  }
  return std::atoi(reply.c_str() + 9);
}

/// llama-server on a free loopback port, serving `model`; stopped (SIGTERM) on destruction.
class server {
 public:
  server(const fs::path& model, const fs::path& log, std::vector<std::string> extra = {})
      : port_(free_port()) {
    std::vector<std::string> argv = {(binaries() / "llama-server").string(),
                                     "-m",
                                     model.string(),
                                     "--host",
                                     "127.0.0.1",
                                     "--port",
                                     std::to_string(port_),
                                     "--metrics",
                                     "--override-kv",
                                     "llama.context_length=int:4096",
                                     "-c",
                                     "16384",
                                     "-np",
                                     "4",
                                     "-t",
                                     "1",
                                     "--no-webui"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const std::string program = argv[0];
    pid_ = lw_test::spawn_logged(std::move(argv), log);
    if (pid_ < 0) throw std::runtime_error("cannot start " + program);
    // Loading takes well under a second for the tiny model; /health says 200 once it is up.
    for (int i = 0; i < 600; ++i) {
      if (http_get_status(port_, "/health") == 200) return;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("llama-server exited at start: see " + log.string());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("llama-server did not become healthy in 60 s: see " + log.string());
  }
  ~server() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

 private:
  int port_;
  pid_t pid_ = -1;
};

}  // namespace lw_llama
