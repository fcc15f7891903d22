// File: notify/dispatcher.h
// Drains the outbox through a gateway: claims due queued sms and web notices in a write
// transaction (so two drainers, in one process or two, never hold the same notice), sends each
// outside any transaction, then records the outcome together with its audit row: sent; retry
// later (queued, next_attempt_at = now + RetryDelay); or failed (permanent error, or the last
// attempt). A drainer that dies mid-send leaves its claim to expire after `lease`; the notice is
// then sent again with the same Idempotency-Key, which is why the key is on every request.
// Rounds repeat until no notice is due (a retry with no delay is due at once, bounded by
// max_attempts).
#pragma once

#include <chrono>
#include <string>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/scope.h"
#include "core/dates.h"
#include "notify/gateway.h"
#include "notify/retry.h"
#include "storage/database.h"

namespace jd::notify {

// A claim must outlast a whole batch of sends at the gateway's timeout, or a second drainer could
// take notices the first is still working through.
std::chrono::milliseconds LeaseFor(int batch, std::chrono::milliseconds send_timeout);

struct DrainOptions {
  RetryPolicy retry;
  int batch = 20;
  std::chrono::milliseconds lease{std::chrono::minutes(5)};
  // Only notices of children living within it; the default scope sends nothing. NotifyService
  // sets it from the caller (auth::ScopeOf): the whole city for the system principal.
  auth::Scope scope;
  int max_rounds = 10000;  // a bound on one drain, whatever happens
};

struct DrainReport {
  int claimed = 0;  // attempts made
  int sent = 0;
  int retried = 0;
  int failed = 0;
  int lost = 0;  // claims that expired and were taken by another drainer before the outcome
};

class Dispatcher {
 public:
  Dispatcher(storage::Database& db, auth::AuditLog& audit, const Clock& clock)
      : db_(db), audit_(audit), clock_(clock) {}

  Result<DrainReport> Drain(const auth::Principal& who, Gateway& gateway,
                            const DrainOptions& options);

 private:
  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace jd::notify
