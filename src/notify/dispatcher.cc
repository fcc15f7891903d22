#include "notify/dispatcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/ids.h"
#include "notify/notice_store.h"

namespace jd::notify {

std::chrono::milliseconds LeaseFor(int batch, std::chrono::milliseconds send_timeout) {
  return std::max<std::chrono::milliseconds>(
      std::chrono::minutes(5), send_timeout * std::max(batch, 1) + std::chrono::minutes(1));
}

Result<DrainReport> Dispatcher::Drain(const auth::Principal& who, Gateway& gateway,
                                      const DrainOptions& options) {
  DrainReport report;
  const std::string token = NewId();
  for (int round = 0; round < options.max_rounds; ++round) {
    auto now = clock_.Now();
    std::vector<Notice> claimed;
    JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
      claimed = NoticeStore::ClaimDue(
          s, options.scope, FormatTimestamp(now),
          FormatTimestamp(
              now + std::chrono::duration_cast<std::chrono::system_clock::duration>(options.lease)),
          token, std::max(options.batch, 1));
      return Status::Ok();
    }));
    if (claimed.empty()) break;
    report.claimed += static_cast<int>(claimed.size());

    for (const Notice& n : claimed) {
      Result<SendResult> sent = gateway.Send(n);
      SendResult r = sent.ok() ? *sent
                               : SendResult{.outcome = SendOutcome::kTransient,
                                            .error = sent.status().message_en()};
      NextStep step = AfterAttempt(options.retry, n.attempts, r.outcome);
      auto done = clock_.Now();
      std::string done_at = FormatTimestamp(done);
      bool recorded = false;
      JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
        std::string result = "ok";
        switch (step) {
          case NextStep::kSent:
            recorded = NoticeStore::MarkSent(s, n.id, token, r.message_id, done_at);
            break;
          case NextStep::kRetry: {
            auto next = done + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                   RetryDelay(options.retry, n.attempts));
            recorded =
                NoticeStore::MarkRetry(s, n.id, token, FormatTimestamp(next), r.error, done_at);
            result = "failed";
            break;
          }
          case NextStep::kFailed:
            recorded = NoticeStore::MarkFailed(s, n.id, token, r.error, done_at);
            result = "failed";
            break;
        }
        // The notice left the system (or tried to) with the guardian's phone and the child's
        // name: recorded like any other disclosure of personal data.
        return audit_.Append(
            s, who,
            {.action = "notice.send",
             .object_type = "notice",
             .object_id = n.id,
             .person_id = n.person_id,
             .result = result,
             .detail =
                 fmt::format("channel={} attempt={} step={} gateway={} http={}{}",
                             ChannelCode(n.channel), n.attempts,
                             step == NextStep::kSent    ? "sent"
                             : step == NextStep::kRetry ? "retry"
                                                        : "failed",
                             gateway.Describe(), r.http_status, recorded ? "" : " claim_lost")});
      }));
      if (!recorded) {
        ++report.lost;
        spdlog::warn("notice {}: the claim expired before the outcome was recorded", n.id);
        continue;
      }
      switch (step) {
        case NextStep::kSent:
          ++report.sent;
          break;
        case NextStep::kRetry:
          ++report.retried;
          break;
        case NextStep::kFailed:
          ++report.failed;
          break;
      }
    }
  }
  return report;
}

}  // namespace jd::notify
