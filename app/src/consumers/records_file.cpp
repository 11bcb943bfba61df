// NAME.requests.jsonl and the CSV sink: each record goes to disk as its request ends, one
// whole line per write(2), on the engine's threads, so a crash or a second Ctrl-C keeps
// every record written so far.

#include "loadwright/app/consumers.hpp"
#include "result_io.hpp"

namespace loadwright::runtime {

namespace {

class records_file final : public record_consumer {
 public:
  records_file(const std::filesystem::path& jsonl, std::optional<std::filesystem::path> csv)
      : jsonl_(jsonl), csv_(std::move(csv)) {}
  std::string name() const override { return "records file " + jsonl_.string(); }
  bool live_records() const override { return true; }

  void scenario_started(const scenario_context&) override {
    std::filesystem::create_directories(jsonl_.parent_path());
    if (csv_) std::filesystem::create_directories(csv_->parent_path());
    log_ = std::make_unique<record_log>(jsonl_, csv_);
  }
  void record(const request_record& r) override { log_->add(r); }
  void scenario_finished(const scenario_context&, scenario_report& report) override {
    report.files.push_back(jsonl_);
    report.records_path = jsonl_;
    if (csv_) report.files.push_back(*csv_);
  }

 private:
  std::filesystem::path jsonl_;
  std::optional<std::filesystem::path> csv_;
  std::unique_ptr<record_log> log_;
};

}  // namespace

std::unique_ptr<record_consumer> make_records_file(const std::filesystem::path& jsonl,
                                                   std::optional<std::filesystem::path> csv) {
  return std::make_unique<records_file>(jsonl, std::move(csv));
}

}  // namespace loadwright::runtime
