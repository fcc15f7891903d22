#include "exchange/bulk_export.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "auth/access.h"
#include "core/code_list.h"
#include "core/ids.h"
#include "exchange/bulk_export_store.h"
#include "exchange/fhir.h"
#include "storage/private_file.h"

namespace jd::exchange {

namespace {

namespace fs = std::filesystem;
using auth::Permission;

constexpr std::chrono::hours kFilesKeptFor{24};

Status JobNotFound() {
  return Status::NotFound("export job not found (it may have expired or been cancelled)",
                          "未找到该导出任务（可能已过期或已取消）");
}

}  // namespace

std::string_view ToCode(BulkExportState s) {
  switch (s) {
    case BulkExportState::kAccepted:
      return "accepted";
    case BulkExportState::kInProgress:
      return "in_progress";
    case BulkExportState::kCompleted:
      return "completed";
    case BulkExportState::kFailed:
      return "failed";
    case BulkExportState::kCancelled:
      return "cancelled";
  }
  return "failed";
}

BulkExports::BulkExports(storage::Database& db, registry::RegistryService& registry,
                         immunization::ImmunizationService& immunization, auth::AuditLog& audit,
                         const Clock& clock, fs::path dir)
    : db_(db),
      registry_(registry),
      immunization_(immunization),
      audit_(audit),
      clock_(clock),
      dir_(std::move(dir)) {
  // Jobs a previous run left unfinished: their files are partial.
  std::vector<std::string> left;
  Status st = db_.Read([&](soci::session& s) {
    left = BulkExportStore::InStates(s, {"accepted", "in_progress"});
    return Status::Ok();
  });
  for (const auto& id : left) {
    auto job = Load(id);
    if (!job.ok()) continue;
    RemoveFiles(id);
    job->state = BulkExportState::kFailed;
    job->error = "the node restarted before the export was done; start it again";
    job->finished_at = FormatTimestamp(clock_.Now());
    job->output.clear();
    st = db_.Write([&](soci::session& s) {
      BulkExportStore::Update(s, *job);
      return Status::Ok();
    });
  }
  if (!st.ok()) spdlog::warn("bulk export: {}", st.ToString());
  PurgeExpired();
  worker_ = std::thread([this] { Work(); });
}

BulkExports::~BulkExports() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Result<BulkExportJob> BulkExports::Start(const auth::Principal& who, BulkExportRequest request) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (Status st = auth::Require(who, Permission::kPersonExportFull); !st.ok()) {
    JD_RETURN_IF_ERROR(
        audit_.Record(who, {.action = "fhir.export", .object_type = "export", .result = "denied"}));
    return st;
  }
  if (request.types.empty()) request.types = kBulkExportTypes;
  for (const auto& type : request.types) {
    if (std::find(kBulkExportTypes.begin(), kBulkExportTypes.end(), type) ==
        kBulkExportTypes.end()) {
      return Status::Invalid(
          {{"_type", "unsupported_type",
            "不支持导出的资源类型：" + type + "（可导出 Patient、Immunization）",
            "resource type not exported: " + type + " (Patient and Immunization are)"}});
    }
  }
  PurgeExpired();
  BulkExportJob job;
  job.id = NewId();
  job.requested_by = who.user_id;
  job.requested_at = FormatTimestamp(clock_.Now());
  job.request_url = request.request_url;
  // In the order the export writes them, once each.
  for (const auto& type : kBulkExportTypes) {
    if (std::find(request.types.begin(), request.types.end(), type) != request.types.end()) {
      job.types.push_back(type);
    }
  }
  job.since = request.since;
  bool busy = false;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    busy = BulkExportStore::CountActive(s, who.user_id) > 0;
    if (!busy) BulkExportStore::Insert(s, job);
    return Status::Ok();
  }));
  if (busy) {
    return Status(StatusCode::kTooManyRequests,
                  "an export of yours is still running: poll it, or cancel it first",
                  "您的导出任务仍在进行：请等待其完成或先取消");
  }
  const auth::Scope scope = auth::ScopeOf(who);
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = "fhir.export",
                          .object_type = "export",
                          .object_id = job.id,
                          .detail = fmt::format("types={} scope={}{}", JoinCodes(job.types),
                                                scope.whole_city() ? "city" : scope.path(),
                                                job.since.empty() ? "" : " since=" + job.since)}));
  {
    std::lock_guard lock(mu_);
    queue_.emplace_back(job.id, who);
    cancelled_[job.id] = false;
  }
  cv_.notify_all();
  return job;
}

Result<BulkExportJob> BulkExports::Load(const std::string& job_id) {
  std::optional<BulkExportJob> job;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    job = BulkExportStore::Get(s, job_id);
    return Status::Ok();
  }));
  if (!job) return JobNotFound();
  return std::move(*job);
}

Result<BulkExportJob> BulkExports::Owned(const auth::Principal& who, const std::string& job_id,
                                         const std::string& action) {
  if (!IsUuid(job_id)) return JobNotFound();
  auto job = Load(job_id);
  if (!job.ok()) return job.status();
  if (job->requested_by != who.user_id) {
    // Another user's export is not theirs to see: not found, and the attempt audited.
    JD_RETURN_IF_ERROR(audit_.Record(
        who, {.action = action, .object_type = "export", .object_id = job_id, .result = "denied"}));
    return JobNotFound();
  }
  if (job->purged || job->state == BulkExportState::kCancelled) return JobNotFound();
  return job;
}

Result<BulkExportJob> BulkExports::Get(const auth::Principal& who, const std::string& job_id) {
  // A status holds no personal data: polls are not audited (the kick-off and files are).
  return Owned(who, job_id, "fhir.export_status");
}

Status BulkExports::Cancel(const auth::Principal& who, const std::string& job_id) {
  auto job = Owned(who, job_id, "fhir.export_cancel");
  if (!job.ok()) return job.status();
  bool running = false;
  {
    std::lock_guard lock(mu_);
    auto queued = std::find_if(queue_.begin(), queue_.end(),
                               [&](const auto& q) { return q.first == job_id; });
    if (queued != queue_.end()) queue_.erase(queued);
    running = running_ == job_id;
    if (running) cancelled_[job_id] = true;
  }
  const bool ended =
      job->state == BulkExportState::kCompleted || job->state == BulkExportState::kFailed;
  // A running job's worker deletes its files when it stops; the others' go now.
  if (!running) RemoveFiles(job_id);
  job->state = BulkExportState::kCancelled;
  if (job->finished_at.empty()) job->finished_at = FormatTimestamp(clock_.Now());
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    BulkExportStore::Update(s, *job);
    if (ended) BulkExportStore::MarkPurged(s, job_id);
    return Status::Ok();
  }));
  return audit_.Record(
      who, {.action = "fhir.export_cancel", .object_type = "export", .object_id = job_id});
}

Result<fs::path> BulkExports::File(const auth::Principal& who, const std::string& job_id,
                                   const std::string& name) {
  auto job = Owned(who, job_id, "fhir.export_file");
  if (!job.ok()) return job.status();
  if (job->state != BulkExportState::kCompleted) return JobNotFound();
  for (const auto& f : job->output) {
    if (f.name != name) continue;
    JD_RETURN_IF_ERROR(
        audit_.Record(who, {.action = "fhir.export_file",
                            .object_type = "export",
                            .object_id = job_id,
                            .detail = fmt::format("file={} resources={}", f.name, f.count)}));
    return dir_ / job_id / f.name;
  }
  return JobNotFound();
}

void BulkExports::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stopping_ || (queue_.empty() && running_.empty()); });
}

void BulkExports::Work() {
  for (;;) {
    std::pair<std::string, auth::Principal> next;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = std::move(queue_.front());
      queue_.pop_front();
      running_ = next.first;
    }
    Run(next.first, next.second);
    {
      std::lock_guard lock(mu_);
      running_.clear();
      cancelled_.erase(next.first);
    }
    cv_.notify_all();
  }
}

void BulkExports::Run(const std::string& job_id, const auth::Principal& who) {
  auto loaded = Load(job_id);
  if (!loaded.ok()) return;
  BulkExportJob job = std::move(*loaded);
  if (job.state != BulkExportState::kAccepted) return;  // cancelled while queued
  auto stop = [&] {
    std::lock_guard lock(mu_);
    return stopping_ || cancelled_[job_id];
  };
  auto save = [&] {
    Status st = db_.Write([&](soci::session& s) {
      BulkExportStore::Update(s, job);
      return Status::Ok();
    });
    if (!st.ok()) spdlog::warn("bulk export {}: {}", job_id, st.ToString());
  };
  job.state = BulkExportState::kInProgress;
  job.transaction_time = FormatTimestamp(clock_.Now());
  save();

  Status failed;
  std::error_code ec;
  const fs::path folder = dir_ / job_id;
  fs::create_directories(folder, ec);
  if (ec) {
    failed = Status::Unavailable("cannot create " + folder.string(), "无法创建导出目录");
  } else {
    fs::permissions(folder, fs::perms::owner_all, ec);
  }
  for (const auto& type : job.types) {
    if (!failed.ok() || stop()) break;
    BulkExportFile file{type, type + ".ndjson", 0};
    const std::string path = (folder / file.name).string();
    // 0600 before the first byte: the file holds personal data.
    failed = storage::CreatePrivateFile(path);
    if (!failed.ok()) break;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    auto write = [&](const nlohmann::json& resource) {
      if (stop()) return false;
      out << resource.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      ++file.count;
      return static_cast<bool>(out);
    };
    if (type == "Patient") {
      failed = registry_.ExportPersons(
          who, registry::ExportIdentifiers::kFull,
          [&](const registry::Person& p) { return write(PatientOf(p, Disclosure::kFull)); },
          job.since);
    } else {
      failed = immunization_.ExportDoses(who, job.since, [&](const auto& r) {
        auto clinic = r.clinic_code.empty() ? std::nullopt : immunization_.FindOrg(r.clinic_code);
        return write(ImmunizationOf(immunization_.schedule(), r, clinic ? clinic->name : ""));
      });
    }
    out.flush();
    if (failed.ok() && !out) {
      failed = Status::Unavailable("writing " + path + " failed (disk full?)",
                                   "写入导出文件失败（磁盘已满？）");
    }
    job.output.push_back(std::move(file));
  }
  const bool cancelled = [&] {
    std::lock_guard lock(mu_);
    return cancelled_[job_id];
  }();
  if (cancelled) {
    // Cancel() has recorded the job as cancelled; what was written goes.
    RemoveFiles(job_id);
    return;
  }
  const auto now = clock_.Now();
  job.finished_at = FormatTimestamp(now);
  if (failed.ok() && stop()) {
    failed = Status::Unavailable("the node stopped before the export was done; start it again",
                                 "节点在导出完成前停止，请重新发起");
  }
  if (failed.ok()) {
    job.state = BulkExportState::kCompleted;
    job.expires_at = FormatTimestamp(now + kFilesKeptFor);
  } else {
    RemoveFiles(job_id);
    job.state = BulkExportState::kFailed;
    job.error = failed.message_en();
    job.output.clear();
    spdlog::warn("bulk export {} failed: {}", job_id, failed.ToString());
  }
  save();
}

void BulkExports::RemoveFiles(const std::string& job_id) {
  std::error_code ec;
  fs::remove_all(dir_ / job_id, ec);
}

void BulkExports::PurgeExpired() {
  std::vector<std::string> expired;
  Status st = db_.Read([&](soci::session& s) {
    expired = BulkExportStore::Expired(s, FormatTimestamp(clock_.Now()));
    return Status::Ok();
  });
  for (const auto& id : expired) {
    RemoveFiles(id);
    st = db_.Write([&](soci::session& s) {
      BulkExportStore::MarkPurged(s, id);
      return Status::Ok();
    });
  }
  if (!st.ok()) spdlog::warn("bulk export purge: {}", st.ToString());
}

}  // namespace jd::exchange
