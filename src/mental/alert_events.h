// File: mental/alert_events.h
// What the delivery of a danger alert needs to know when the mental service raises or acknowledges
// one: the mental service (mental/service.h) tells its listener inside the transaction that writes
// the alert, so that the alert and what the listener writes (the notices of the notify outbox,
// notify/alert_notices.h) commit or roll back together — an alert is never raised without its
// notices, and a notice is never queued for an alert that was rolled back. A listener's failure
// fails the follow-up or the acknowledgement (an Internal error: the listener only fails when its
// templates are broken). The event carries an alert's minimal fields only (name, address, level,
// time), never a diagnosis or a follow-up.
#pragma once

#include <functional>
#include <string>

#include "auth/model.h"
#include "core/status.h"
#include "mental/store.h"
#include "storage/database.h"

namespace jd::mental {

enum class AlertChange { kRaised, kAcknowledged };

struct AlertEvent {
  AlertChange change = AlertChange::kRaised;
  AlertRow alert;  // after the change: name, address, residence unit, level, times
};

// Returns how many notices it queued (raised) or cancelled (acknowledged).
using AlertListener =
    std::function<Result<int>(soci::session&, const auth::Principal&, const AlertEvent&)>;

}  // namespace jd::mental
