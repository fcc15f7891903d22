// File: disease/card_events.h
// What the early-warning rules need to know when a case card (传染病报告卡) is saved, corrected,
// deleted or merged: the card service (disease/card_service.h) tells its listener, the signal
// service (disease/signal_service.h) evaluates the rules that run as each card is saved (the fixed
// threshold and the work-site cluster; the moving-percentile and EARS methods run daily). The
// listener runs after the card's transaction has committed, so a rule that reads the cards sees
// this one; a listener's failure never undoes the saved card (the daily run catches up).
#pragma once

#include <functional>
#include <string>

#include "core/dates.h"

namespace jd::disease {

enum class CardChange { kCreated, kCorrected, kDeleted, kMerged };

struct CardSaved {
  CardChange change = CardChange::kCreated;
  std::string card_id;
  std::string disease_code;    // after the change (a correction may change the disease)
  std::string district_code;   // the district of the patient's current address
  std::string residence_path;  // that address's unit path
  std::string work_site_key;   // normalised work-site name; empty when none
  std::string work_site_kind;  // construction_site, factory, market, dormitory, other, or empty
  Date onset_date{};
  std::string reported_at;  // UTC timestamp of the report
  bool active = true;       // false once deleted or merged
};

using CardListener = std::function<void(const CardSaved&)>;

}  // namespace jd::disease
